import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../io/read-scenario.js';
import type { Ruleset, Scenario, Step, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { deltasUpTo } from '../trace/counters.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { ISTIO_SIDECAR_RULES } from './scenarios/istio-sidecar-rules.js';
import { simulate } from './simulate.js';
import { SNAPSHOTS, snapshot } from './test-helpers.js';

const stepsOf = (t: Trace, packetId: number): Step[] =>
  t.steps.filter((s) => s.packetId === packetId);

const natRuleSteps = (steps: readonly Step[]) =>
  steps.filter((s) => (s.kind === 'rule' || s.kind === 'policy') && s.table.name === 'nat');

function withRules(scenario: Scenario, host: string, rulesets: readonly Ruleset[]): Scenario {
  return {
    ...scenario,
    world: {
      ...scenario.world,
      hosts: scenario.world.hosts.map((h) => (h.name === host ? { ...h, rulesets } : h)),
    },
  };
}

describe('the bookinfo sidecar scenario', () => {
  const trace = simulate(bookinfoScenario());

  it('makes four connections: two by the apps, two by envoy', () => {
    expect(trace.connections.map((c) => [c.fromProcess, c.parent ?? null])).toEqual([
      ['productpage', null],
      ['envoy', 1],
      ['reviews', null],
      ['envoy', 3],
    ]);
    expect(trace.packets.every((p) => p.fate === 'delivered')).toBe(true);
  });

  it('sends no reply and no later packet through a nat chain', () => {
    for (const c of trace.connections) {
      const [first, ...rest] = trace.packets.filter((p) => p.connectionId === c.id);
      expect(natRuleSteps(stepsOf(trace, first?.id ?? 0)).length).toBeGreaterThan(0);
      for (const p of rest) expect(natRuleSteps(stepsOf(trace, p.id))).toEqual([]);
    }
  });

  it("does not redirect the app's reply to envoy: conntrack translates it", () => {
    const inbound = trace.packets.filter((p) => p.connectionId === 2 && p.direction === 'reply');
    expect(inbound.length).toBeGreaterThan(0);
    for (const p of inbound) {
      const steps = stepsOf(trace, p.id);
      const skipped = steps.filter(
        (s) => s.kind === 'conntrack' && s.event.kind === 'nat-skipped' && s.hook === 'OUTPUT',
      );
      expect(skipped.map((s) => s.kind === 'conntrack' && s.event)).toEqual([
        {
          kind: 'nat-skipped',
          table: { family: 'ipv4', name: 'nat' },
          manip: 'dnat',
          why: 'not-first',
          direction: 'reply',
        },
      ]);
      const redirects = steps.filter(
        (s) => s.kind === 'rule' && s.verdict?.kind === 'target' && s.verdict.name === 'REDIRECT',
      );
      expect(redirects).toEqual([]);
    }
  });

  it('has envoy re-open the inbound connection from 127.0.0.6 to the original destination', () => {
    const syn = stepsOf(trace, trace.packets.find((p) => p.connectionId === 2)?.id ?? 0);
    expect(syn[0]?.packet).toMatchObject({ src: '127.0.0.6', dst: '10.0.0.2', dport: 9080 });
    expect(syn.at(-1)).toMatchObject({ kind: 'socket', process: 'reviews', uid: 1000 });
  });

  it('counts only first packets in nat, with their real sizes', () => {
    const deltas = deltasUpTo(trace);
    const policy = [...deltas].filter(([k]) => k.startsWith('reviews|ipv4|nat|POSTROUTING|policy'));
    // Three connections leave or loop inside reviews: each SYN is 60 bytes.
    expect(policy).toEqual([['reviews|ipv4|nat|POSTROUTING|policy', { packets: 3, bytes: 180 }]]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(simulate(bookinfoScenario()))).toBe(JSON.stringify(trace));
  });
});

describe('what the engine refuses to guess', () => {
  it('reports a redirect loop when envoy is not excluded, and stops', () => {
    const scenario = snapshot('what-if-loop');
    const t = simulate(scenario);
    const loop = t.findings.find((f) => f.kind === 'loop');
    expect(loop?.kind === 'loop' && loop.destination).toBe('10.0.0.3:9080');
    // The rules on the cycle: envoy's own SYN jumps to ISTIO_REDIRECT, which sends it to 15001.
    const named = new Map<string, string>();
    for (const h of scenario.world.hosts)
      for (const r of h.rulesets)
        for (const table of r.tables)
          for (const chain of table.chains)
            for (const rule of chain.rules)
              named.set(rule.id, `${table.name} ${chain.name} -j ${rule.target?.name}`);
    expect(loop?.rules.map((id) => named.get(id))).toEqual([
      'nat ISTIO_OUTPUT -j ISTIO_REDIRECT',
      'nat ISTIO_REDIRECT -j REDIRECT',
    ]);
    expect(t.connections.length).toBe(4);
  });

  it('stops at a jump cycle an edit created, instead of hanging', () => {
    const base = bookinfoScenario();
    const parsed = parseRules(
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A A -j B\nCOMMIT\n',
      { file: 'cycle.rules' },
    );
    const [ruleset] = parsed.rulesets;
    if (!ruleset) throw new Error('no ruleset');
    // The kernel would refuse B → A at load time; an edit in the UI can still make one.
    const nat = ruleset.tables[0];
    const b = nat?.chains.find((c) => c.name === 'B');
    const a = nat?.chains.find((c) => c.name === 'A');
    if (!nat || !a || !b) throw new Error('no chains');
    const jumpBack = { ...a.rules[0], id: 'edit-1', target: { ...a.rules[0]?.target, name: 'A' } };
    const cyclic: Ruleset = {
      ...ruleset,
      tables: [
        {
          ...nat,
          chains: nat.chains.map((c) => (c.name === 'B' ? { ...c, rules: [jumpBack] } : c)),
        } as typeof nat,
      ],
    };
    const t = simulate({ ...withRules(base, 'reviews', [cyclic]), traffic: [base.traffic[1]!] });
    expect(t.packets[0]?.fate).toBe('stopped');
    expect(t.steps.at(-1)).toMatchObject({ kind: 'stop', reason: { kind: 'too-deep', limit: 64 } });
  });

  it('stops at a module it does not simulate, or takes the setting', () => {
    const rules = ISTIO_SIDECAR_RULES.replace(
      '-A OUTPUT -p tcp -j ISTIO_OUTPUT',
      '-A OUTPUT -p tcp -m bpf --bytecode "1,6 0 0 0" -j ISTIO_OUTPUT',
    );
    const parsed = parseRules(rules, { file: 'bpf.rules' });
    const base = bookinfoScenario();
    const scenario = {
      ...withRules(base, 'reviews', parsed.rulesets),
      traffic: [base.traffic[1]!],
    };
    const stopped = simulate(scenario);
    expect(stopped.findings[0]).toMatchObject({
      kind: 'not-simulated',
      reason: { kind: 'not-simulated', gap: { type: 'match', module: 'bpf' } },
    });
    expect(stopped.packets[0]?.fate).toBe('stopped');
    const settings = { ...scenario.world.settings, unknownMatch: 'no-match' as const };
    const decided = simulate({ ...scenario, world: { ...scenario.world, settings } });
    expect(decided.packets.every((p) => p.fate === 'delivered')).toBe(true);
    const assumed = decided.steps.flatMap((s) => (s.kind === 'rule' && s.assumption) || []);
    expect(assumed[0]).toEqual({ gap: { type: 'match', module: 'bpf' }, takenAs: 'no-match' });
  });

  it('takes a rate limit as matching and marks the step as assumed', () => {
    const rules = ISTIO_SIDECAR_RULES.replace(
      '-A OUTPUT -p tcp -j ISTIO_OUTPUT',
      '-A OUTPUT -p tcp -m limit --limit 5/sec\n-A OUTPUT -p tcp -j ISTIO_OUTPUT',
    );
    const base = bookinfoScenario();
    const scenario = withRules(
      base,
      'reviews',
      parseRules(rules, { file: 'limit.rules' }).rulesets,
    );
    const t = simulate({ ...scenario, traffic: [base.traffic[1]!] });
    const limited = t.steps.flatMap((s) =>
      s.kind === 'rule' && s.assumption?.gap.module === 'limit' ? [s] : [],
    );
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((s) => s.matched && s.assumption?.takenAs === undefined)).toBe(true);
    expect(t.packets.every((p) => p.fate === 'delivered')).toBe(true);
  });

  it('answers a SYN to a closed port with a RST', () => {
    const base = bookinfoScenario();
    const traffic = [{ ...base.traffic[0]!, to: { address: '10.0.0.3', port: 81 } }];
    const t = simulate({ ...base, traffic });
    expect(t.packets.map((p) => [p.label, p.fate])).toEqual([
      ['SYN', 'refused'],
      ['RST,ACK', 'delivered'],
    ]);
  });
});

describe('every shipped snapshot', () => {
  const names = readdirSync(SNAPSHOTS)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => f.replace(/\.json$/, ''));

  it.each(names)('%s runs and every packet has a fate', (name) => {
    const t = simulate(snapshot(name));
    expect(t.packets.length).toBeGreaterThan(0);
    for (const p of t.packets) expect(t.steps[p.lastStep]?.packetId).toBe(p.id);
  });
});

describe('TPROXY and DNS capture', () => {
  it('keeps the destination under TPROXY and delivers to the transparent listener', () => {
    const t = simulate(snapshot('tproxy-inbound'));
    const syn = stepsOf(t, 1);
    expect(syn.at(-1)).toMatchObject({ kind: 'socket', process: 'envoy' });
    expect(syn.at(-1)?.packet.dst).toBe('10.0.0.2');
    expect(syn.at(-1)?.packet.dport).toBe(9080);
  });

  it('puts the DNS query and its answer in conntrack zone 2', () => {
    const t = simulate(snapshot('dns-capture-ct-zones'));
    const zones = t.steps.filter((s) => s.conntrack).map((s) => s.conntrack?.zone);
    expect(new Set(zones)).toEqual(new Set([2]));
    expect(t.packets.map((p) => p.fate)).toEqual(['delivered', 'delivered']);
  });
});

describe("lo keeps ::1 and 127.0.0.0/8 beside Istio's ::6 and 127.0.0.6 (issue 19)", () => {
  it("delivers the sidecar's IPv6 REDIRECT to [::1]:15001, original destination intact", () => {
    // The minimal reproduction: ::6/128 on lo, one ip6tables nat rule, envoy as 1337.
    const loaded = loadScenarioText(
      JSON.stringify({
        name: 'min',
        hosts: [
          {
            name: 'peer',
            interfaces: [{ name: 'eth0', addresses: ['fd00::3/64'], link: 'pods' }],
            processes: [
              {
                kind: 'server',
                name: 'srv',
                uid: 1000,
                gid: 1000,
                listen: [{ address: '::', port: 9080, protocol: 'tcp' }],
              },
            ],
          },
          {
            name: 'pod',
            interfaces: [
              { name: 'eth0', addresses: ['fd00::2/64'], link: 'pods' },
              { name: 'lo', addresses: ['::6/128'] },
            ],
            rules6:
              '*nat\n-A OUTPUT -p tcp -m owner ! --uid-owner 1337 -j REDIRECT --to-ports 15001\nCOMMIT\n',
            processes: [
              { kind: 'client', name: 'app', uid: 1000, gid: 1000 },
              { kind: 'envoy', name: 'envoy', uid: 1337, gid: 1337 },
            ],
          },
        ],
        traffic: [
          {
            fromHost: 'pod',
            process: 'app',
            to: { address: 'fd00::3', port: 9080 },
            protocol: 'tcp',
            payload: 100,
          },
        ],
      }),
      'min.json',
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const t = simulate(loaded.scenario);
    expect(t.packets.every((p) => p.fate === 'delivered')).toBe(true);
    const syn = stepsOf(t, 1);
    expect(syn.at(-1)).toMatchObject({
      kind: 'socket',
      process: 'envoy',
      local: { port: 15001 },
      packet: { dst: '::1', dport: 15001 },
    });
    const proxies = t.steps.flatMap((s) =>
      s.kind === 'process' && s.event.kind === 'proxies' ? [s.event] : [],
    );
    expect(proxies).toMatchObject([
      { side: 'outbound', original: { address: 'fd00::3', port: 9080 } },
    ]);
    expect(t.connections.map((c) => [c.fromProcess, c.fromHost, c.to.address])).toEqual([
      ['app', 'pod', 'fd00::3'],
      ['envoy', 'pod', 'fd00::3'],
    ]);
  });

  it('answers every connection of the dual-stack sidecar, each from the source the kernel picks', () => {
    const t = simulate(snapshot('sidecar-dual-stack'));
    expect(t.packets.every((p) => p.fate === 'delivered')).toBe(true);
    const firstSrc = t.connections.map((c) => {
      const first = t.packets.find((p) => p.connectionId === c.id);
      return `${c.fromProcess} ${t.steps[first?.firstStep ?? 0]?.packet.src}`;
    });
    // app → [::1] from ::1; app → 127.0.0.6 from 127.0.0.6 (its own local route's src).
    expect(firstSrc).toEqual([
      'client 10.0.0.1',
      'envoy 127.0.0.6',
      'client fd00::1',
      'envoy ::6',
      'app 10.0.0.2',
      'envoy 10.0.0.2',
      'app fd00::2',
      'envoy fd00::2',
      'app ::1',
      'app 127.0.0.6',
    ]);
  });
});
