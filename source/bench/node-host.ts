/**
 * The node the engine benches simulate on: the dump's rules (iptables, or nft) and one client,
 * curl as uid 1000, that opens connections to ClusterIPs on port 80.
 */
import type { HostConfig, TrafficItem } from '../model/index.js';

export function nodeHost(rules: Pick<HostConfig, 'rulesets' | 'nft'>): HostConfig {
  return {
    name: 'node',
    interfaces: [
      { name: 'lo', addresses: ['127.0.0.1/8'] },
      { name: 'eth0', addresses: ['10.0.0.10/24'], link: 'cluster' },
    ],
    routes: [{ destination: 'default', via: '10.0.0.1', dev: 'eth0' }],
    ipRules: [],
    rulesets: rules.rulesets,
    ...(rules.nft ? { nft: rules.nft } : {}),
    processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
    forwarding: false,
  };
}

/** A connection from the node's curl to `address`:80, with a 100-byte request. */
export function curlTo(address: string): TrafficItem {
  return {
    fromHost: 'node',
    process: 'curl',
    to: { address, port: 80 },
    protocol: 'tcp',
    payload: 100,
  };
}
