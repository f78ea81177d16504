import { describe, expect, it } from 'vitest';
import { buildLiveWorld } from '../world/live/build.js';
import { sidecarCapture } from '../world/live/test-helpers.js';
import { simulate } from '../world/simulate.js';
import type { KernelPacketPath, KernelStep } from './kernel-trace.js';
import { simulatedSegments } from './path-segments.js';
import { besideText, realBeside } from './real-beside.js';

function live() {
  const built = buildLiveWorld(sidecarCapture());
  if (!built.ok) throw new Error(built.error);
  return built.live;
}

const step = (hook: string, text: string): KernelStep => {
  const [table = '', chain = '', rule = '', ...verdict] = text.split(' ');
  return {
    hook,
    table,
    chain,
    rule: rule === 'policy' ? 'policy' : Number(rule),
    verdict: verdict.join(' '),
    nftVerdict: '',
  };
};

const inbound = (steps: readonly string[]): KernelPacketPath => ({
  host: 'pod',
  family: 'ipv4',
  packetId: 'a1',
  tuple: 'tcp 10.9.9.9:51000 > 10.0.0.2:9080 SYN',
  steps: steps.map((s) => step('PREROUTING', s)),
});

const KERNEL = [
  'nat PREROUTING 1 jump ISTIO_INBOUND',
  'nat ISTIO_INBOUND 5 jump ISTIO_IN_REDIRECT',
  'nat ISTIO_IN_REDIRECT 1 REDIRECT',
  'nat INPUT policy ACCEPT',
];

describe('real packets beside the simulation', () => {
  it('simulates a connection from outside from the peer, and finds the same path', () => {
    const w = live();
    const host = w.scenario.world.hosts[0];
    if (!host) throw new Error('no host');
    const [b] = realBeside(w.scenario, host, [inbound(KERNEL)], w.senders);
    expect(b?.same).toBe(true);
    expect(b?.sender).toBe('peer → 10.0.0.2:9080');
  });

  it('marks the lines where the kernel went another way', () => {
    const w = live();
    const host = w.scenario.world.hosts[0];
    if (!host) throw new Error('no host');
    const other = [
      'nat PREROUTING 1 jump ISTIO_INBOUND',
      'nat ISTIO_INBOUND 2 RETURN',
      'nat INPUT policy ACCEPT',
    ];
    const text = besideText(realBeside(w.scenario, host, [inbound(other)], w.senders));
    expect(text[0]).toBe(
      'pod: tcp 10.9.9.9 > 10.0.0.2:9080 SYN (simulated: peer → 10.0.0.2:9080): the paths differ',
    );
    expect(text.slice(2).map((l) => l.slice(0, 3))).toEqual(['   ', '  ≠', '  ≠', '  ≠']);
  });

  it("finds the proxy's own connection by its uid, where the app's would take another path", () => {
    const w = live();
    const host = w.scenario.world.hosts[0];
    if (!host) throw new Error('no host');
    // The kernel's path of envoy's own connection out is nfdb's, as the kernel tests prove.
    const trace = simulate(w.scenario);
    const index = w.scenario.traffic.findIndex((t) => t.process === 'envoy');
    const conn = trace.connections.find((c) => c.traffic === index && c.parent === undefined);
    const packet = trace.packets.find((p) => p.connectionId === conn?.id);
    const [segment] = simulatedSegments(trace, packet?.id ?? -1);
    if (!segment) throw new Error('no segment');
    const to = w.scenario.traffic[index]?.to;
    const out: KernelPacketPath = {
      host: 'pod',
      family: 'ipv4',
      packetId: 'b2',
      tuple: `tcp 10.0.0.2:40001 > ${to?.address}:${to?.port} SYN`,
      steps: segment.steps.map((s) => step('OUTPUT', s)),
    };
    const [b] = realBeside(w.scenario, host, [out], w.senders);
    expect(segment.steps.join(' ')).toContain('RETURN');
    expect(b?.same).toBe(true);
    expect(b?.sender).toBe(`envoy → ${to?.address}:${to?.port}`);
  });

  it('says when nothing of the filter entered the host', () => {
    expect(besideText([])).toEqual(['no connection of the filter entered the host while tracing']);
  });
});
