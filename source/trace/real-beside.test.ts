import { describe, expect, it } from 'vitest';
import { buildLiveWorld } from '../world/live/build.js';
import { ISTIO_SIDECAR_RULES } from '../world/scenarios/istio-sidecar-rules.js';
import type { KernelPacketPath, KernelStep } from './kernel-trace.js';
import { besideText, realBeside } from './real-beside.js';

function live() {
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
      { protocol: 'tcp', address: '0.0.0.0', port: 15006, uid: 1337, pid: 1, process: 'envoy' },
      { protocol: 'tcp', address: '0.0.0.0', port: 9080, uid: 1000, pid: 2, process: 'app' },
    ],
    listenersFrom: 'ss',
    processes: [],
    forwarding: false,
    missing: [],
  });
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

  it('says when nothing of the filter entered the host', () => {
    expect(besideText([])).toEqual(['no connection of the filter entered the host while tracing']);
  });
});
