/**
 * The traffic of the built-in pod, from the command line (`--to ADDR:PORT --from peer --proto
 * udp --uid 1000`) or, when none is given, from what the rules capture: a connection from another
 * pod to each port the rules send to the proxy inbound, and one from the app to a pod outside.
 * Hosts and listeners the traffic needs (a destination nobody has, a sender with its own uid)
 * are added to the world, so every item can run.
 */
import type { HostConfig, ProcessConfig, Scenario, TrafficItem } from '../model/index.js';
import { parseAddress } from '../netfilter/address.js';

export const SENDERS = ['app', 'proxy', 'peer', 'outside', 'node'] as const;
export type Sender = (typeof SENDERS)[number];

export interface TrafficRequest {
  readonly to: readonly { readonly address: string; readonly port: number }[];
  readonly from?: Sender;
  readonly proto?: 'tcp' | 'udp';
  readonly uid?: number;
  readonly gid?: number;
  /**
   * Addresses only NAT makes real (a Service's ClusterIP): no server is added there, so a
   * connection the rules do not translate fails as it would, and servers at `endpoints` instead.
   */
  readonly virtual?: boolean;
  readonly endpoints?: readonly { readonly address: string; readonly port: number }[];
}

/** Names of the built-in pod's hosts and processes the senders stand for. */
export interface PodRoles {
  readonly pod: string;
  readonly app: string;
  readonly proxy: string;
  readonly peer: string;
  readonly peerProcess: string;
  /** The pod's, the peer's and the outside pod's addresses in the family the rules are for. */
  readonly address: { readonly pod: string; readonly peer: string; readonly other: string };
  readonly v6: boolean;
}

/** `10.0.0.2:9080`, `[fd00::2]:9080` → address and port; undefined when it is neither. */
export function parseEndpoint(text: string): { address: string; port: number } | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text) ?? /^([0-9.]+):(\d+)$/.exec(text);
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  // The shape alone lets 10.0.0.300 through, which the engine cannot route.
  if (parseAddress(m[1]) === undefined) return undefined;
  return { address: m[1], port };
}

const EXTRA_HOSTS: Readonly<Record<'outside' | 'node', readonly [string, string]>> = {
  outside: ['192.0.2.10', '2001:db8:2::10'],
  node: ['10.0.0.254', '2001:db8::fe'],
};

function plainHost(name: string, address: string, v6: boolean, processes: ProcessConfig[]) {
  return {
    name,
    interfaces: [{ name: 'eth0', addresses: [`${address}/${v6 ? 64 : 24}`], link: 'pods' }],
    routes: v6 ? [] : [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes,
    forwarding: false,
  } satisfies HostConfig;
}

/** Whether the process listens on the port: a server's listeners, a proxy's, a DNS proxy's. */
function listensOn(p: ProcessConfig, port: number, protocol: 'tcp' | 'udp'): boolean {
  if (p.kind === 'server') return p.listen.some((l) => l.port === port && l.protocol === protocol);
  if (p.kind === 'dns-proxy') return protocol === 'udp' && p.port === port;
  if (p.kind !== 'envoy') return false;
  const own = p.extraListen?.some((l) => l.port === port && l.protocol === protocol) ?? false;
  return own || (protocol === 'tcp' && (p.inboundPort === port || p.outboundPort === port));
}

/** A host with `address`, or one added that listens on the port (a destination nobody has). */
export function withListener(
  hosts: HostConfig[],
  to: TrafficItem['to'],
  protocol: 'tcp' | 'udp',
  v6: boolean,
) {
  const listen = { address: v6 ? '::' : '0.0.0.0', port: to.port, protocol };
  const at = hosts.findIndex((h) =>
    h.interfaces.some((i) => i.addresses.some((a) => a.split('/')[0] === to.address)),
  );
  if (at < 0 && !to.address.startsWith('127.') && to.address !== '::1') {
    const name = `server ${to.address}`;
    hosts.push(
      plainHost(name, to.address, to.address.includes(':'), [
        { kind: 'server', name, uid: 1000, gid: 1000, listen: [listen] },
      ]),
    );
    return;
  }
  const host = hosts[at];
  const server = host?.processes.find((p) => p.kind === 'server');
  if (!host || server?.kind !== 'server') return;
  // Some process of the host (not only its first server) may listen there already.
  if (host.processes.some((p) => listensOn(p, to.port, protocol))) return;
  const grown = { ...server, listen: [...server.listen, listen] };
  hosts[at] = { ...host, processes: host.processes.map((p) => (p === server ? grown : p)) };
}

/** Where a sender sits: its host (added if the world lacks it) and its process. */
function sender(hosts: HostConfig[], roles: PodRoles, from: Sender) {
  if (from === 'app') return { host: roles.pod, process: roles.app };
  if (from === 'proxy') return { host: roles.pod, process: roles.proxy };
  if (from === 'peer') return { host: roles.peer, process: roles.peerProcess };
  if (!hosts.some((h) => h.name === from)) {
    const address = EXTRA_HOSTS[from][roles.v6 ? 1 : 0];
    hosts.push(
      plainHost(from, address, roles.v6, [{ kind: 'client', name: from, uid: 1000, gid: 1000 }]),
    );
  }
  return { host: from, process: from };
}

/** The sending process with the uid and gid asked for, added beside the sender's own. */
function asUser(hosts: HostConfig[], at: { host: string; process: string }, req: TrafficRequest) {
  if (req.uid === undefined && req.gid === undefined) return at;
  const i = hosts.findIndex((h) => h.name === at.host);
  const host = hosts[i];
  const base = host?.processes.find((p) => p.name === at.process);
  if (!host || !base) return at;
  const uid = req.uid ?? base.uid;
  const gid = req.gid ?? base.gid;
  const name = `${at.process} (uid ${uid}, gid ${gid})`;
  const client: ProcessConfig = { kind: 'client', name, uid, gid };
  hosts[i] = { ...host, processes: [...host.processes, client] };
  return { host: at.host, process: name };
}

const shown = (a: TrafficItem['to']) =>
  a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;

/** The traffic the user asked for, with the hosts and listeners it needs. */
export function requestedTraffic(
  scenario: Scenario,
  roles: PodRoles,
  req: TrafficRequest,
): Scenario {
  const hosts = [...scenario.world.hosts];
  const protocol = req.proto ?? 'tcp';
  const traffic = req.to.map((to): TrafficItem => {
    const from = req.from ?? (to.address === roles.address.pod ? 'peer' : 'app');
    const at = asUser(hosts, sender(hosts, roles, from), req);
    if (!req.virtual) withListener(hosts, to, protocol, roles.v6);
    return {
      label: `${at.process}@${at.host} → ${shown(to)}${protocol === 'udp' ? ' (udp)' : ''}`,
      fromHost: at.host,
      process: at.process,
      to,
      protocol,
      payload: 100,
    };
  });
  for (const e of req.endpoints ?? []) withListener(hosts, e, protocol, roles.v6);
  return { world: { ...scenario.world, hosts }, traffic };
}

/** What the default traffic is made from: what the rules capture. */
export interface Captured {
  /** The app's ports the rules capture inbound (none: every port, so the app's own). */
  readonly inboundPorts: readonly number[];
  readonly appPort: number;
  /** The resolver to ask, when the rules capture DNS. */
  readonly dns?: string;
}

/** Inbound to each captured port, outbound to another pod, and DNS when the rules capture it. */
export function defaultTraffic(scenario: Scenario, roles: PodRoles, captured: Captured): Scenario {
  const ports = captured.inboundPorts.length > 0 ? captured.inboundPorts : [captured.appPort];
  const hosts = [...scenario.world.hosts];
  const inbound = ports.map((port): TrafficItem => {
    withListener(hosts, { address: roles.address.pod, port }, 'tcp', roles.v6);
    return {
      label: `${roles.peerProcess} → ${roles.pod}:${port}`,
      fromHost: roles.peer,
      process: roles.peerProcess,
      to: { address: roles.address.pod, port },
      protocol: 'tcp',
      payload: 100,
    };
  });
  const outbound = scenario.traffic.filter((t) => t.fromHost === roles.pod);
  const dns: TrafficItem[] = [];
  if (captured.dns !== undefined) {
    const to = { address: captured.dns, port: 53 };
    withListener(hosts, to, 'udp', roles.v6);
    dns.push({
      label: `${roles.app} → DNS ${shown(to)}`,
      fromHost: roles.pod,
      process: roles.app,
      to,
      protocol: 'udp',
      payload: 40,
    });
  }
  return { world: { ...scenario.world, hosts }, traffic: [...inbound, ...outbound, ...dns] };
}
