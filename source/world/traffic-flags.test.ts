import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model/index.js';
import { fitPod } from './proxy/pod.js';
import { PRESETS } from './proxy/presets.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';
import { parseEndpoint, type TrafficRequest } from './traffic-flags.js';

function pod(traffic?: TrafficRequest, inboundPorts: readonly number[] = []): Scenario {
  return fitPod(bookinfoScenario(), {
    proxy: PRESETS.istio.params,
    dns: false,
    v6: false,
    inboundPorts,
    ...(traffic ? { traffic } : {}),
  });
}

/** The processes that answered a request in the trace. */
const answered = (s: Scenario) =>
  simulate(s).steps.flatMap((st) =>
    st.kind === 'process' && st.event.kind === 'answers' ? [st.event.process] : [],
  );

describe('parseEndpoint', () => {
  it('reads IPv4 and bracketed IPv6 endpoints, and nothing else', () => {
    expect(parseEndpoint('10.0.0.3:80')).toEqual({ address: '10.0.0.3', port: 80 });
    expect(parseEndpoint('[fd00::3]:443')).toEqual({ address: 'fd00::3', port: 443 });
    for (const bad of [
      '10.0.0.3',
      '10.0.0.3:0',
      '10.0.0.3:70000',
      'fd00::3:80',
      'host:80',
      '10.0.0.300:80',
      '1.2.3.4.5:80',
      '[fd00:::3]:80',
    ])
      expect(parseEndpoint(bad)).toBeUndefined();
  });
});

describe('the default traffic', () => {
  it('goes inbound to each port the rules capture, and out from the app', () => {
    const s = pod(undefined, [8080, 8443]);
    expect(s.traffic.map((t) => [t.fromHost, `${t.to.address}:${t.to.port}`])).toEqual([
      ['productpage', '10.0.0.2:8080'],
      ['productpage', '10.0.0.2:8443'],
      ['reviews', '10.0.0.3:9080'],
    ]);
    const app = s.world.hosts.find((h) => h.name === 'reviews')?.processes[0];
    expect(app?.kind === 'server' && app.listen.map((l) => l.port)).toEqual([9080, 8080, 8443]);
  });
});

describe('the traffic asked for', () => {
  it('adds a server for a destination nobody has, and a sender with the uid asked for', () => {
    const s = pod({ to: [{ address: '1.1.1.1', port: 443 }], from: 'app', uid: 1337, gid: 1337 });
    const [item] = s.traffic;
    expect(item).toMatchObject({ fromHost: 'reviews', process: 'reviews (uid 1337, gid 1337)' });
    const reviews = s.world.hosts.find((h) => h.name === 'reviews');
    expect(reviews?.processes.find((p) => p.name === item?.process)).toMatchObject({ uid: 1337 });
    expect(s.world.hosts.some((h) => h.name === 'server 1.1.1.1')).toBe(true);
    // As uid 1337 the istio rules let it out unredirected: envoy never sees it.
    const trace = simulate(s);
    expect(trace.steps.some((st) => st.kind === 'process' && st.event.kind === 'proxies')).toBe(
      false,
    );
    expect(trace.connections).toHaveLength(1);
  });

  it('sends from the node, from outside, and over UDP', () => {
    const s = pod({ to: [{ address: '10.0.0.2', port: 5000 }], from: 'outside', proto: 'udp' });
    expect(s.traffic[0]).toMatchObject({ fromHost: 'outside', protocol: 'udp' });
    expect(answered(s)).toEqual(['reviews']);
    const node = pod({ to: [{ address: '10.0.0.3', port: 80 }], from: 'node' });
    expect(node.world.hosts.find((h) => h.name === 'node')?.interfaces[0]?.addresses).toEqual([
      '10.0.0.254/24',
    ]);
  });

  it('sends to the pod from the peer pod when --from is not given', () => {
    const s = pod({ to: [{ address: '10.0.0.2', port: 9080 }] });
    expect(s.traffic[0]?.fromHost).toBe('productpage');
  });
});
