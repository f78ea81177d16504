/**
 * kube-proxy's nftables mode: a ClusterIP connection is one lookup in the `service-ips` verdict
 * map, `numgen random` picks the endpoint (seeded, so a trace repeats), the endpoint chain's
 * `dnat to` binds the connection, and `masquerade` at postrouting rewrites the source of the
 * connection `mark-for-masquerade` marked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HostConfig, NftRuleset, RuleStep, Scenario, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { DEFAULT_SETTINGS } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';

const kubeProxy = parseRules(
  readFileSync('test/corpus/kubernetes/kube-proxy-nft-overall.nft', 'utf8'),
  { file: 'kube-proxy.nft' },
).nft as NftRuleset;

function host(name: string, address: string, rest: Partial<HostConfig>): HostConfig {
  return {
    name,
    interfaces: [{ name: 'eth0', addresses: [`${address}/16`], link: 'net' }],
    routes: [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes: [],
    forwarding: false,
    ...rest,
  };
}

const server = (port: number) => ({
  kind: 'server' as const,
  name: 'web',
  uid: 1000,
  gid: 1000,
  listen: [{ address: '0.0.0.0', port, protocol: 'tcp' as const }],
  response: 100,
});

function scenario(to: string, port: number, from?: string): Scenario {
  return {
    world: {
      name: 'kube-proxy nftables',
      hosts: [
        host('node', '10.180.0.100', {
          interfaces: [
            { name: 'eth0', addresses: ['10.180.0.100/16', '192.168.0.2/16'], link: 'net' },
          ],
          nft: kubeProxy,
          processes: [{ kind: 'client', name: 'curl', uid: 0, gid: 0 }],
        }),
        host('pod1', '10.180.0.1', { processes: [server(80)] }),
        host('pod4', '10.180.0.4', { processes: [server(80)] }),
        host('pod5', '10.180.0.5', { processes: [server(80)] }),
      ],
      settings: DEFAULT_SETTINGS,
    },
    traffic: [
      {
        fromHost: 'node',
        process: 'curl',
        to: { address: to, port },
        protocol: 'tcp',
        payload: 10,
        ...(from ? { bind: { address: from } } : {}),
      },
    ],
  };
}

const ruleSteps = (t: Trace) => t.steps.filter((s): s is RuleStep => s.kind === 'rule');

describe('kube-proxy in nftables mode', () => {
  it('sends a ClusterIP connection to its endpoint through the service-ips map', () => {
    const trace = simulate(scenario('172.30.0.41', 80));
    const fates = trace.packets.map((p) => p.fate);
    expect(fates.every((f) => f === 'delivered')).toBe(true);
    const syn = trace.steps.find(
      (s) => s.kind === 'socket' || (s.kind === 'emit' && s.host === 'pod1'),
    );
    expect(syn).toBeDefined();
    const services = ruleSteps(trace).find((s) => s.chain === 'services' && s.matched);
    expect(services?.verdict).toEqual({ kind: 'goto', chain: 'service-ULMVA6XW-ns1/svc1/tcp/p80' });
    // The map is one lookup: the services chain's first rule decides, no per-service rules run.
    expect(ruleSteps(trace).filter((s) => s.chain === 'services')).toHaveLength(1);
  });

  it('picks among endpoints with numgen, the same pick for the same seed', () => {
    const a = simulate(scenario('172.30.0.44', 80));
    const b = simulate(scenario('172.30.0.44', 80));
    const picked = (t: Trace) =>
      ruleSteps(t).find((s) => s.chain.startsWith('service-LAUZTJTB') && s.ruleIndex === 1)
        ?.verdict;
    expect(picked(a)).toEqual(picked(b));
    expect(picked(a)).toMatchObject({ kind: 'goto' });
    expect(a.packets.every((p) => p.fate === 'delivered')).toBe(true);
  });

  it('masquerades what mark-for-masquerade marked, and only that', () => {
    const masqueraded = (t: Trace) =>
      ruleSteps(t).find((s) => s.chain === 'masquerading' && s.matched && s.ruleIndex === 2);
    // From outside the pod network (192.168.0.2): marked, then masqueraded.
    const outside = simulate(scenario('172.30.0.41', 80, '192.168.0.2'));
    expect(masqueraded(outside)?.verdict).toMatchObject({ kind: 'target', name: 'masquerade' });
    expect(outside.packets.every((p) => p.fate === 'delivered')).toBe(true);
    const atPod = outside.steps.find((s) => s.kind === 'emit' && s.host === 'pod1');
    expect(atPod?.packet.dst).toBe('10.180.0.100');
    // From the pod network: not marked, the masquerading chain returns at its first rule.
    const inside = simulate(scenario('172.30.0.41', 80));
    expect(masqueraded(inside)).toBeUndefined();
    expect(ruleSteps(inside).find((s) => s.chain === 'masquerading')?.verdict).toEqual({
      kind: 'return',
    });
  });

  it('rejects a ClusterIP port with no service and drops an unallocated ClusterIP', () => {
    const rejected = simulate(scenario('172.30.0.41', 81));
    expect(rejected.packets[0]?.fate).toBe('rejected');
    const dropped = simulate(scenario('172.30.99.9', 80));
    expect(dropped.packets[0]?.fate).toBe('dropped');
  });
});
