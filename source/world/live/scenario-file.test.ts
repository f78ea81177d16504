import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toScenario } from '../from-file.js';
import { scenarioSchema } from '../scenario-schema.js';
import { simulate } from '../simulate.js';
import { buildLiveWorld } from './build.js';
import { liveScenarioFile } from './scenario-file.js';
import { sidecarCapture } from './test-helpers.js';

/** The capture written as a scenario file and read back. */
function roundTrip(capture = sidecarCapture()) {
  const built = buildLiveWorld(capture);
  if (!built.ok) throw new Error(built.error);
  const file = scenarioSchema.parse(JSON.parse(JSON.stringify(liveScenarioFile(built.live))));
  const read = toScenario(
    file,
    (host, which) =>
      typeof host[which] === 'string' ? { text: host[which], file: 'pod.json' } : undefined,
    'pod.json',
  );
  if (!read.ok) throw new Error(read.errors.join('\n'));
  return { built, file, read };
}

describe('a live capture saved as a scenario file', () => {
  it('reads back as the world and traffic it was', () => {
    const { built, file, read } = roundTrip();
    expect(file.settings.backend).toBe('nft');
    const { world, traffic } = built.live.scenario;
    const shape = (w: typeof world) =>
      w.hosts.map((h) => ({ ...h, rulesets: h.rulesets.map((r) => r.tables.length) }));
    expect(shape(read.scenario.world)).toEqual(shape(world));
    expect(read.scenario.traffic).toEqual(traffic);
  });
});

describe('a mixed host saved as a scenario file', () => {
  it('keeps its native nft tables beside the iptables rules, and their order, and runs the same', () => {
    // Istio's native TPROXY tables, then iptables-nft rules loaded after them (build.test.ts).
    const nftJson = readFileSync(
      join(import.meta.dirname, '../../../test/live/nft-istio-tproxy-mixed.json'),
      'utf8',
    );
    const saved =
      '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 9090\nCOMMIT\n';
    const { built, file, read } = roundTrip(
      sidecarCapture({ nftJson, rules: { ipv4: { nft: saved }, ipv6: {} } }),
    );
    expect(file.hosts[0]?.nft).toContain('table inet istio-proxy-mangle');
    expect(file.hosts[0]?.iptablesLoadedLast).toBe(true);
    const host = read.scenario.world.hosts[0];
    expect(host?.nft?.tables.map((t) => t.name)).toEqual([
      'istio-proxy-nat',
      'istio-proxy-mangle',
      'istio-proxy-raw',
    ]);
    expect(host?.iptablesLoadedLast).toBe(true);
    const steps = (t: ReturnType<typeof simulate>) => t.steps.map((s) => `${s.kind} ${s.host}`);
    expect(steps(simulate(read.scenario))).toEqual(steps(simulate(built.live.scenario)));
  });
});

describe("a host's nft field", () => {
  it('refuses iptables rules, which go in rules', () => {
    const file = scenarioSchema.parse({
      hosts: [{ name: 'pod', nft: '*nat\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' }],
      traffic: [],
    });
    const read = toScenario(
      file,
      (host, which) =>
        typeof host[which] === 'string' ? { text: host[which], file: 'pod.json' } : undefined,
      'pod.json',
    );
    expect(read).toEqual({
      ok: false,
      errors: [
        'pod.json: expected nftables (an nft script or nft -j JSON), found iptables rules: they go in rules or rules6',
      ],
    });
  });
});
