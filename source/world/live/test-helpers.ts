/** A capture of a sidecar pod as the tools print it, for tests that need one without a kernel. */
import { ISTIO_SIDECAR_RULES } from '../scenarios/istio-sidecar-rules.js';
import type { Listener, LiveCapture } from './capture.js';

export const listener = (port: number, uid: number, pid: number, process: string): Listener => ({
  protocol: 'tcp',
  address: '0.0.0.0',
  port,
  uid,
  pid,
  process,
});

/** The pod `pod` at 10.0.0.2/24: envoy (uid 1337) on 15001 and 15006, the app (1000) on 9080. */
export function sidecarCapture(over: Partial<LiveCapture> = {}): LiveCapture {
  return {
    where: 'network namespace pod',
    host: 'pod',
    rules: { ipv4: { nft: ISTIO_SIDECAR_RULES }, ipv6: {} },
    addresses: JSON.stringify([
      { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.0.0.2', prefixlen: 24 }] },
    ]),
    routes: ['', ''],
    ipRules: ['', ''],
    listeners: [
      listener(15001, 1337, 1, 'envoy'),
      listener(15006, 1337, 1, 'envoy'),
      listener(9080, 1000, 2, 'app'),
    ],
    listenersFrom: 'ss',
    processes: [],
    forwarding: false,
    missing: [],
    ...over,
  };
}
