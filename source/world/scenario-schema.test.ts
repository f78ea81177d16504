import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../io/read-scenario.js';
import { scenarioJsonSchema } from './scenario-schema.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');

const load = (json: unknown) => loadScenarioText(JSON.stringify(json), 'bad.json');
const minimal = {
  hosts: [{ name: 'a', processes: [{ kind: 'client', name: 'c', uid: 1, gid: 1 }] }],
  traffic: [
    { fromHost: 'a', process: 'c', to: { address: '10.0.0.9', port: 80 }, protocol: 'tcp' },
  ],
};

describe('the scenario file format', () => {
  it('is described by the JSON Schema kept in snapshots/scenario.schema.json', () => {
    const kept = JSON.parse(readFileSync(join(SNAPSHOTS, 'scenario.schema.json'), 'utf8'));
    // If this fails, the zod schema changed: regenerate the file (see README, "Scenario files").
    expect(kept).toEqual(scenarioJsonSchema());
  });

  it('loads a minimal scenario with defaults filled in', () => {
    const loaded = load(minimal);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.scenario.world.settings).toEqual({
        seed: 1,
        unknownMatch: 'stop',
        loopLimit: 3,
      });
      expect(loaded.scenario.traffic[0]?.payload).toBe(100);
    }
  });

  it('names the field that is wrong', () => {
    const bad = structuredClone(minimal) as Record<string, unknown> & typeof minimal;
    (bad.hosts[0]?.processes[0] as Record<string, unknown>).uid = 'root';
    expect(load(bad)).toEqual({
      ok: false,
      errors: [
        'bad.json: hosts[0].processes[0].uid: Invalid input: expected number, received string',
      ],
    });
  });

  it('refuses unknown fields, unknown hosts and processes', () => {
    const extra = { ...minimal, hostz: [] };
    expect(load(extra).ok).toBe(false);
    const wrongHost = { ...minimal, traffic: [{ ...minimal.traffic[0], fromHost: 'b' }] };
    expect(load(wrongHost)).toEqual({
      ok: false,
      errors: ['bad.json: traffic[0].fromHost: no host named "b"'],
    });
  });

  it('gives a line and column for broken JSON', () => {
    const loaded = loadScenarioText('{\n  "hosts": [\n    {"name": "a",}\n  ]\n}\n', 'broken.json');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]).toMatch(/^broken.json:3:\d+: not valid JSON/);
  });

  it('reports rules errors with the rules file position', () => {
    const rules =
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n';
    const json = JSON.stringify({ ...minimal, hosts: [{ ...minimal.hosts[0], rules }] });
    const loaded = loadScenarioText(json, 'bad.json');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const m = /^bad\.json:1:(\d+): error: .*99999.*line 3 column 22 of the inline rules/.exec(
      loaded.errors.join('\n'),
    );
    expect(m).not.toBeNull();
    // The JSON column points at the very option inside the escaped string.
    expect(json.slice(Number(m?.[1]) - 1)).toMatch(/^--dport 99999/);
  });

  it('points into a pretty-printed file past escapes, for every one of many errors', () => {
    // Tabs, quotes and backslashes are longer in the file than in the rules.
    const bad = (i: number) =>
      `-A PREROUTING -m comment --comment "a\\"\t${i}" -p tcp --dport 9999${i}`;
    const count = 2000;
    const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n${Array.from({ length: count }, (_, i) => bad(i)).join('\n')}\nCOMMIT\n`;
    const json = JSON.stringify({ ...minimal, hosts: [{ ...minimal.hosts[0], rules }] }, null, 2);
    const loaded = loadScenarioText(json, 'bad.json');
    if (loaded.ok) throw new Error('loaded');
    const lines = json.split('\n');
    const at = loaded.errors.map((e) => /^bad\.json:(\d+):(\d+): error: /.exec(e));
    expect(at.filter(Boolean)).toHaveLength(count);
    for (const [i, m] of at.entries()) {
      const text = lines[Number(m?.[1]) - 1]?.slice(Number(m?.[2]) - 1);
      expect(text?.startsWith(`--dport 9999${i}`)).toBe(true);
    }
  });

  it('reads ipsets, and refuses members and uses the kernel tools would refuse', () => {
    const host = minimal.hosts[0];
    const withSets = (ipsets: unknown[], rules6?: string) => ({
      ...minimal,
      hosts: [{ ...host, ipsets, ...(rules6 ? { rules6 } : {}) }],
    });
    const probes = { name: 'probes', type: 'hash:ip', members: ['10.244.1.5'] };
    const loaded = load(withSets([probes]));
    expect(loaded.ok && loaded.scenario.world.hosts[0]?.ipsets).toEqual([
      { ...probes, family: 'ipv4' },
    ]);
    expect(load(withSets([{ ...probes, members: ['10.244.1.5 nomatch'] }]))).toEqual({
      ok: false,
      errors: [
        'bad.json: hosts[0].ipsets[0].members[0]: "10.244.1.5 nomatch": expected hash:ip member (without nomatch)',
      ],
    });
    expect(load(withSets([probes, probes])).ok).toBe(false);
    // libxt_set: "The protocol family of set probes is IPv4, which is not applicable."
    const rules6 =
      '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m set --match-set probes dst -j ACCEPT\nCOMMIT\n';
    const mixed = load(withSets([probes], rules6));
    expect(mixed.ok ? [] : mixed.errors).toEqual([
      expect.stringMatching(
        /^bad\.json: hosts\[0\]: .*:3:\d+: -m set probes: the set is inet \(IPv4\), the rule IPv6; iptables refuses it$/,
      ),
    ]);
  });
});

describe("a proxy's socket mark", () => {
  const envoy = (extra: Record<string, unknown>) => ({
    hosts: [
      {
        name: 'pod',
        processes: [{ kind: 'envoy', name: 'ztunnel', uid: 0, gid: 0, ...extra }],
      },
    ],
  });

  it('is read apart from TPROXY, and must be a 32-bit mark', () => {
    const loaded = load(envoy({ mark: 0x539 }));
    expect(loaded.ok && loaded.scenario.world.hosts[0]?.processes[0]).toMatchObject({
      mark: 0x539,
    });
    expect(loaded.ok && loaded.scenario.world.hosts[0]?.processes[0]).not.toHaveProperty('tproxy');
    const bad = load(envoy({ mark: -1 }));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.errors.join('\n')).toContain('hosts[0].processes[0].mark');
  });
});

describe('every field with a shape is checked, with its path', () => {
  const server = {
    kind: 'server',
    name: 's',
    uid: 1,
    gid: 1,
    listen: [{ address: '0.0.0.0', port: 80, protocol: 'tcp' }],
  };
  const envoy = { kind: 'envoy', name: 'e', uid: 1337, gid: 1337 };
  const full = {
    settings: { seed: 1 },
    hosts: [
      {
        name: 'a',
        interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24', 'fd00::1/64'] }],
        routes: [
          { destination: 'default', via: '10.0.0.254', dev: 'eth0', src: '10.0.0.1' },
          { destination: '10.9.0.0/16', dev: 'eth0' },
        ],
        ipRules: [
          { priority: 10, fwmark: '0x539/0xfff', from: '10.0.0.0/8', to: '::/0', table: 7 },
        ],
        processes: [{ kind: 'client', name: 'c', uid: 1, gid: 1 }, server, envoy],
      },
    ],
    traffic: [
      {
        fromHost: 'a',
        process: 'c',
        to: { address: '10.0.0.9', port: 80 },
        protocol: 'tcp',
        bind: { address: '10.0.0.1' },
      },
    ],
  };

  it('takes a scenario whose every shaped field is right', () => {
    expect(load(full)).toMatchObject({ ok: true });
  });

  it.each([
    ['traffic[0].to.address', '10.0.0.300', 'expected an IPv4 or IPv6 address'],
    ['traffic[0].to.address', 'hello', 'expected an IPv4 or IPv6 address'],
    ['traffic[0].to.address', '', 'expected an IPv4 or IPv6 address'],
    ['traffic[0].bind.address', '1.2.3.4.5', 'expected an IPv4 or IPv6 address'],
    ['hosts[0].interfaces[0].addresses[0]', '10.0.0.2/33', 'expected an address with its prefix'],
    ['hosts[0].interfaces[0].addresses[1]', 'fd00::1/129', 'expected an address with its prefix'],
    ['hosts[0].routes[0].destination', 'banana', 'expected default, an address or a prefix'],
    ['hosts[0].routes[1].destination', '300.0.0.0/8', 'expected default, an address or a prefix'],
    ['hosts[0].routes[0].via', 'banana', 'expected an IPv4 or IPv6 address'],
    ['hosts[0].routes[0].src', '10.0.0.1/24', 'expected an IPv4 or IPv6 address'],
    ['hosts[0].ipRules[0].fwmark', 'zzz', 'expected a 32-bit mark'],
    ['hosts[0].ipRules[0].fwmark', '0x1ffffffff', 'expected a 32-bit mark'],
    ['hosts[0].ipRules[0].from', 'all the things', 'expected an address or a prefix'],
    ['hosts[0].processes[1].listen[0].address', 'banana', 'expected an IPv4 or IPv6 address'],
    ['hosts[0].processes[2].inboundBind', '::6', 'expected an IPv4 address'],
    ['hosts[0].processes[2].inboundBind6', 'junk', 'expected an IPv6 address'],
    ['hosts[0].processes[2].tproxy.mark', 2 ** 40, 'Too big'],
    ['hosts[0].processes[2].mark', -1, 'Too small'],
    ['settings.seed', -5, 'Too small'],
    ['settings.seed', 2 ** 32, 'Too big'],
  ])('%s = %j is refused, naming the field', (path, value, message) => {
    const bad = structuredClone(full);
    setAt(bad, path, value);
    const loaded = load(bad);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.errors).toHaveLength(1);
      expect(loaded.errors[0]).toContain(`bad.json: ${path}: ${message}`);
    }
  });
});

/** Sets `a.b[0].c` in `target`, creating objects on the way. */
function setAt(target: unknown, path: string, value: unknown): void {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let at = target as Record<string, unknown>;
  keys.slice(0, -1).forEach((k) => {
    at[k] ??= {};
    at = at[k] as Record<string, unknown>;
  });
  at[keys[keys.length - 1] as string] = value;
}
