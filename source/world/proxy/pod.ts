/**
 * The built-in sidecar pod with the user's proxy and traffic: the pod's proxy becomes the one
 * the rules were written for (fit.ts), the app listens where the traffic goes, and the traffic is
 * the user's or the default one (traffic-flags.ts). Rules for IPv6 alone get an IPv6 pod.
 */
import type { HostConfig, ProcessConfig, Scenario } from '../../model/index.js';
import {
  defaultTraffic,
  type PodRoles,
  requestedTraffic,
  type TrafficRequest,
} from '../traffic-flags.js';
import type { ProxyParams } from './presets.js';

/** 10.0.0.2 → 2001:db8::2: the built-in pods' addresses in IPv6 (a documentation prefix, which no mesh excludes as its own, as Kuma does fd00::/8). */
const toV6 = (address: string) => address.replace(/^10\.0\.0\.(\d+)/, '2001:db8::$1');

/** A server's wildcard listener in IPv6. */
function listensV6(p: ProcessConfig): ProcessConfig {
  if (p.kind !== 'server') return p;
  return { ...p, listen: p.listen.map((l) => ({ ...l, address: toV6Any(l.address) })) };
}

const toV6Any = (address: string) => (address === '0.0.0.0' ? '::' : address);

/** The pod: the host with rules, iptables or nft tables. */
const hasRules = (h: HostConfig) => h.rulesets.length > 0 || (h.nft?.tables.length ?? 0) > 0;

function inV6(scenario: Scenario): Scenario {
  const hosts = scenario.world.hosts.map((h) => ({
    ...h,
    processes: h.processes.map(listensV6),
    interfaces: [
      ...h.interfaces.map((i) => ({
        ...i,
        addresses: i.addresses.map((a) => toV6(a).replace(/\/24$/, '/64')),
      })),
      ...(hasRules(h) ? [{ name: 'lo', addresses: ['::6/128'] }] : []),
    ],
    routes: [],
  }));
  const traffic = scenario.traffic.map((t) => ({
    ...t,
    to: { ...t.to, address: toV6(t.to.address) },
  }));
  return { world: { ...scenario.world, hosts }, traffic };
}

function proxyProcess(p: ProxyParams, podAddress: string, v6: boolean): ProcessConfig {
  return {
    kind: 'envoy',
    name: p.process,
    uid: p.uid,
    gid: p.gid,
    inboundPort: p.inboundPort,
    outboundPort: p.outboundPort,
    // A proxy that does not bind connects from the address the kernel picks: the pod's own.
    inboundBind: p.inboundBind ?? (v6 ? '127.0.0.6' : podAddress),
    inboundBind6: p.inboundBind6 ?? (v6 ? podAddress : '::6'),
    ...(p.tproxyMark === undefined ? {} : { tproxy: { mark: p.tproxyMark } }),
    ...(p.mark === undefined ? {} : { mark: p.mark }),
    ...(p.ownPorts.length > 0
      ? {
          extraListen: p.ownPorts.map((port) => ({
            address: v6 ? '::' : '0.0.0.0',
            port,
            protocol: 'tcp' as const,
          })),
        }
      : {}),
  };
}

function dnsProxy(p: ProxyParams, port: number, v6: boolean): ProcessConfig {
  return {
    kind: 'dns-proxy',
    name: `${p.process} dns`,
    uid: p.uid,
    gid: p.gid,
    port,
    address: v6 ? '::' : '0.0.0.0',
  };
}

export interface PodChoice {
  readonly proxy: ProxyParams;
  /** The rules capture DNS to the proxy's DNS port: run a DNS proxy there, and ask it. */
  readonly dns: boolean;
  /** The resolver the app asks (default: a cluster DNS address outside the pod). */
  readonly dnsAddress?: string;
  readonly v6: boolean;
  readonly inboundPorts: readonly number[];
  /** The user's traffic; absent: the default. */
  readonly traffic?: TrafficRequest;
}

/** The pod host (the one with rules), its proxy replaced and the traffic set. */
export function fitPod(builtin: Scenario, choice: PodChoice): Scenario {
  const scenario = choice.v6 ? inV6(builtin) : builtin;
  const pod = scenario.world.hosts.find(hasRules);
  const app = pod?.processes.find((p) => p.kind === 'server');
  const peer = scenario.world.hosts.find((h) => h !== pod && h.processes[0]?.kind === 'client');
  const other = scenario.traffic.find((t) => t.fromHost === pod?.name)?.to.address;
  const address = (h: HostConfig | undefined) => h?.interfaces[0]?.addresses[0]?.split('/')[0];
  const podAddress = address(pod);
  const peerAddress = address(peer);
  if (!pod || app?.kind !== 'server' || !peer || !podAddress || !peerAddress || !other)
    return scenario;
  const { proxy, v6 } = choice;
  const processes = [
    ...pod.processes.filter((p) => p.kind !== 'envoy' && p.kind !== 'dns-proxy'),
    proxyProcess(proxy, podAddress, v6),
    ...(choice.dns && proxy.dnsPort !== undefined ? [dnsProxy(proxy, proxy.dnsPort, v6)] : []),
  ];
  const withProxy: Scenario = {
    ...scenario,
    world: {
      ...scenario.world,
      hosts: scenario.world.hosts.map((h) => (h === pod ? { ...pod, processes } : h)),
    },
  };
  const roles: PodRoles = {
    pod: pod.name,
    app: app.name,
    proxy: proxy.process,
    peer: peer.name,
    peerProcess: peer.processes[0]?.name ?? peer.name,
    address: { pod: podAddress, peer: peerAddress, other },
    v6,
  };
  const appPort = app.listen[0]?.port ?? 9080;
  return choice.traffic
    ? requestedTraffic(withProxy, roles, choice.traffic)
    : defaultTraffic(withProxy, roles, {
        inboundPorts: choice.inboundPorts,
        appPort,
        ...(choice.dns ? { dns: choice.dnsAddress ?? (v6 ? '2001:db8::a' : '10.96.0.10') } : {}),
      });
}
