/**
 * The built-in scenario: Istio's bookinfo path through a sidecar. productpage (10.0.0.1, no
 * sidecar rules) calls reviews (10.0.0.2:9080) whose pod has the sidecar's nat rules, the app as
 * uid 1000 and envoy as uid 1337; then the reviews app calls ratings (10.0.0.3:9080) through its
 * sidecar's outbound path.
 */

import type { HostConfig, Scenario } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { ISTIO_SIDECAR_RULES } from './istio-sidecar-rules.js';

export const DEFAULT_SETTINGS = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;

function sidecarRules() {
  const parsed = parseRules(ISTIO_SIDECAR_RULES, { file: 'istio-sidecar.rules' });
  return parsed.rulesets;
}

function pod(
  name: string,
  address: string,
  rules: boolean,
  extra: HostConfig['processes'],
): HostConfig {
  return {
    name,
    interfaces: [{ name: 'eth0', addresses: [`${address}/24`], link: 'pods' }],
    routes: [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: rules ? sidecarRules() : [],
    processes: extra,
    forwarding: false,
  };
}

export function bookinfoScenario(): Scenario {
  const app = (name: string) => ({
    kind: 'server' as const,
    name,
    uid: 1000,
    gid: 1000,
    listen: [{ address: '0.0.0.0', port: 9080, protocol: 'tcp' as const }],
    response: 200,
  });
  const envoy = {
    kind: 'envoy' as const,
    name: 'envoy',
    uid: 1337,
    gid: 1337,
    inboundPort: 15006,
    outboundPort: 15001,
    inboundBind: '127.0.0.6',
  };
  return {
    world: {
      name: 'bookinfo: productpage → reviews (sidecar) → ratings',
      hosts: [
        pod('productpage', '10.0.0.1', false, [
          { kind: 'client', name: 'productpage', uid: 1000, gid: 1000 },
        ]),
        pod('reviews', '10.0.0.2', true, [app('reviews'), envoy]),
        pod('ratings', '10.0.0.3', false, [app('ratings')]),
      ],
      settings: DEFAULT_SETTINGS,
    },
    traffic: [
      {
        label: 'productpage → reviews:9080',
        fromHost: 'productpage',
        process: 'productpage',
        to: { address: '10.0.0.2', port: 9080 },
        protocol: 'tcp',
        payload: 100,
      },
      {
        label: 'reviews → ratings:9080',
        fromHost: 'reviews',
        process: 'reviews',
        to: { address: '10.0.0.3', port: 9080 },
        protocol: 'tcp',
        payload: 100,
      },
    ],
  };
}
