import { describe, expect, it } from 'vitest';
import { toScenario } from '../from-file.js';
import { scenarioSchema } from '../scenario-schema.js';
import { ISTIO_SIDECAR_RULES } from '../scenarios/istio-sidecar-rules.js';
import { buildLiveWorld } from './build.js';
import { liveScenarioFile } from './scenario-file.js';

describe('a live capture saved as a scenario file', () => {
  it('reads back as the world and traffic it was', () => {
    const built = buildLiveWorld({
      where: 'network namespace pod',
      host: 'pod',
      rules: { ipv4: { nft: ISTIO_SIDECAR_RULES }, ipv6: {} },
      addresses: JSON.stringify([
        { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.0.0.2', prefixlen: 24 }] },
      ]),
      routes: ['', ''],
      ipRules: ['', ''],
      listeners: [
        { protocol: 'tcp', address: '0.0.0.0', port: 15001, uid: 1337, pid: 1, process: 'envoy' },
        { protocol: 'tcp', address: '0.0.0.0', port: 9080, uid: 1000, pid: 2, process: 'app' },
      ],
      listenersFrom: 'ss',
      processes: [],
      forwarding: false,
      missing: [],
    });
    if (!built.ok) throw new Error(built.error);
    const file = scenarioSchema.parse(JSON.parse(JSON.stringify(liveScenarioFile(built.live))));
    expect(file.settings.backend).toBe('nft');
    const read = toScenario(
      file,
      (host, which) =>
        typeof host[which] === 'string' ? { text: host[which], file: 'pod.json' } : undefined,
      'pod.json',
    );
    if (!read.ok) throw new Error(read.errors.join('\n'));
    const { world, traffic } = built.live.scenario;
    const shape = (w: typeof world) =>
      w.hosts.map((h) => ({ ...h, rulesets: h.rulesets.map((r) => r.tables.length) }));
    expect(shape(read.scenario.world)).toEqual(shape(world));
    expect(read.scenario.traffic).toEqual(traffic);
  });
});
