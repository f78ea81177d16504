/**
 * What traffic a user can add to a world from the UI's picker (`T`): inbound from a neighbour to
 * any port a host listens on, outbound to an address and port as any of its processes (and so
 * their uid, gid and mark: the app's, the proxy's, any uid seen among listeners), over loopback
 * to a local listener, and DNS. Read from the world alone, so it works for a live capture and
 * for any scenario file. Pure: the UI lists the choices, picked-traffic.ts builds the item.
 */
import type { HostConfig, ProcessConfig, World } from '../model/index.js';

export type ChoiceKind = 'inbound' | 'outbound' | 'loopback' | 'dns';

/** A process of a host that can open connections: its ids are the socket's. */
export interface TrafficSender {
  readonly host: string;
  readonly process: string;
  readonly uid: number;
  readonly gid: number;
  readonly mark?: number;
}

export interface TrafficChoice {
  readonly kind: ChoiceKind;
  /** The host being debugged: the one that receives (inbound) or sends (the others). */
  readonly host: string;
  readonly protocol: 'tcp' | 'udp';
  /** Fixed for inbound and loopback; outbound and DNS ask for it, starting from `suggested`. */
  readonly to?: { readonly address: string; readonly port: number };
  /** The text the destination prompt opens with (`10.0.0.3:9080`, `10.96.0.10:53 udp`). */
  readonly suggested?: string;
  /** Inbound comes from a neighbour; the others are sent by a process of `host` the user picks. */
  readonly from?: { readonly host: string; readonly process: string };
  /** Who listens there, for the label: `envoy (uid 1337)`. */
  readonly listener?: string;
}

interface Listening {
  readonly address: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly process: ProcessConfig;
}

/** Every socket a process listens on, as the engine opens them. */
export function listeningOf(host: HostConfig): Listening[] {
  return host.processes.flatMap((p): Listening[] => {
    const at = (address: string, port: number, protocol: 'tcp' | 'udp') => ({
      address,
      port,
      protocol,
      process: p,
    });
    switch (p.kind) {
      case 'server':
        return p.listen.map((l) => at(l.address, l.port, l.protocol));
      case 'dns-proxy':
        return [at(p.address, p.port, 'udp')];
      case 'envoy':
        return [
          at('0.0.0.0', p.outboundPort, 'tcp'),
          at('0.0.0.0', p.inboundPort, 'tcp'),
          ...(p.extraListen ?? []).map((l) => at(l.address, l.port, l.protocol)),
        ];
      default:
        return [];
    }
  });
}

const bare = (cidr: string) => cidr.split('/')[0] ?? cidr;
const isLoopback = (a: string) => a.startsWith('127.') || a === '::1';
const isWildcard = (a: string) => a === '0.0.0.0' || a === '::' || a === '*';
const links = (h: HostConfig) => new Set(h.interfaces.flatMap((i) => (i.link ? [i.link] : [])));

/** The host's own addresses outside loopback, primary first. */
function globalAddresses(host: HostConfig): string[] {
  return host.interfaces
    .filter((i) => i.name !== 'lo')
    .flatMap((i) => i.addresses.map(bare))
    .filter((a) => !isLoopback(a));
}

/** The hosts worth debugging: those with rules; every host with processes when none has any. */
function subjects(world: World): HostConfig[] {
  const ruled = world.hosts.filter((h) => h.rulesets.length > 0 || h.nft !== undefined);
  return ruled.length > 0 ? ruled : world.hosts.filter((h) => h.processes.length > 0);
}

/** A host on one of `host`'s links with a process to send from, a client first. */
function neighbour(world: World, host: HostConfig) {
  const mine = links(host);
  const near = world.hosts.filter(
    (h) => h !== host && [...links(h)].some((l) => mine.has(l)) && h.processes.length > 0,
  );
  const client = near
    .flatMap((h) => h.processes.map((p) => ({ h, p })))
    .find(({ p }) => p.kind === 'client');
  const any = client ?? near.map((h) => ({ h, p: h.processes[0] })).find(({ p }) => p);
  return any?.p ? { host: any.h.name, process: any.p.name } : undefined;
}

/** Where a listener is reached from outside: its own address, or the host's in its family. */
function inboundAddress(host: HostConfig, l: Listening): string | undefined {
  if (isLoopback(l.address)) return undefined;
  if (!isWildcard(l.address)) return l.address;
  const all = globalAddresses(host);
  const v4 = all.find((a) => !a.includes(':'));
  const v6 = all.find((a) => a.includes(':'));
  // '::' without v6only takes IPv4 too (the engine's sockets do the same).
  return l.address === '0.0.0.0' ? v4 : l.address === '::' ? (v4 ?? v6) : (v4 ?? v6);
}

/** Where a listener is reached over lo: its own loopback address, else 127.0.0.1 (or ::1). */
function loopbackAddress(host: HostConfig, l: Listening): string | undefined {
  if (isLoopback(l.address)) return l.address;
  if (!isWildcard(l.address)) return undefined;
  const v6only = !globalAddresses(host).some((a) => !a.includes(':'));
  return l.address === '::' && v6only ? '::1' : '127.0.0.1';
}

const who = (p: ProcessConfig) => `${p.name} (uid ${p.uid})`;

/** Each (address, port, protocol) once: envoy and a server may both list the same socket. */
function distinct<T extends { to?: TrafficChoice['to']; protocol: string; host: string }>(
  list: readonly T[],
): T[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.host} ${c.to?.address} ${c.to?.port} ${c.protocol}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const endpoint = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

/** An outbound destination to start from: a listener of another host, else port 80 of a neighbour. */
function outboundSuggestion(world: World, host: HostConfig): string {
  for (const other of world.hosts) {
    if (other === host) continue;
    const l = listeningOf(other).find((x) => x.protocol === 'tcp');
    const address = l && inboundAddress(other, l);
    if (l && address) return endpoint(address, l.port);
  }
  const peer = world.hosts.find((h) => h !== host && globalAddresses(h).length > 0);
  return endpoint(peer ? (globalAddresses(peer)[0] ?? '10.0.0.100') : '10.0.0.100', 80);
}

/** The resolver: where the traffic sends DNS already, else kube-dns's usual ClusterIP. */
function dnsSuggestion(
  traffic: readonly { to: { address: string; port: number }; protocol: string }[],
  host: HostConfig,
): string {
  const sent = traffic.find((t) => t.protocol === 'udp' && t.to.port === 53);
  if (sent) return `${endpoint(sent.to.address, 53)} udp`;
  const v6 = !globalAddresses(host).some((a) => !a.includes(':'));
  return `${endpoint(v6 ? 'fd00::a' : '10.96.0.10', 53)} udp`;
}

/** The choices for the world, host by host: inbound, loopback, outbound, DNS. */
export function trafficChoices(
  world: World,
  traffic: readonly { to: { address: string; port: number }; protocol: string }[] = [],
): TrafficChoice[] {
  return subjects(world).flatMap((host): TrafficChoice[] => {
    const listening = listeningOf(host);
    const from = neighbour(world, host);
    /** One choice per listener that `address` reaches. */
    const toListeners = (
      kind: 'inbound' | 'loopback',
      address: (l: Listening) => string | undefined,
    ) =>
      listening.flatMap((l): TrafficChoice[] => {
        const at = address(l);
        if (!at) return [];
        const to = { address: at, port: l.port };
        const base = { kind, host: host.name, protocol: l.protocol, to, listener: who(l.process) };
        return [from && kind === 'inbound' ? { ...base, from } : base];
      });
    const inbound = from ? toListeners('inbound', (l) => inboundAddress(host, l)) : [];
    const loopback = toListeners('loopback', (l) => loopbackAddress(host, l));
    const senders = sendersOf(world, host.name).length > 0;
    const local: TrafficChoice[] = senders
      ? [
          {
            kind: 'outbound',
            host: host.name,
            protocol: 'tcp',
            suggested: outboundSuggestion(world, host),
          },
          {
            kind: 'dns',
            host: host.name,
            protocol: 'udp',
            suggested: dnsSuggestion(traffic, host),
          },
        ]
      : [];
    return [...distinct(inbound), ...(senders ? distinct(loopback) : []), ...local];
  });
}

/** The processes of a host that can send, one per uid, gid and mark: the app's, the proxy's, … */
export function sendersOf(world: World, hostName: string): TrafficSender[] {
  const host = world.hosts.find((h) => h.name === hostName);
  const seen = new Set<string>();
  return (host?.processes ?? []).flatMap((p): TrafficSender[] => {
    const mark = p.kind === 'envoy' ? p.mark : undefined;
    const key = `${p.uid} ${p.gid} ${mark}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        host: hostName,
        process: p.name,
        uid: p.uid,
        gid: p.gid,
        ...(mark === undefined ? {} : { mark }),
      },
    ];
  });
}

/** The choice in one line, as the picker lists it. */
export function choiceText(c: TrafficChoice, manyHosts: boolean): string {
  const at = manyHosts ? ` ${c.host}` : '';
  const proto = c.protocol === 'udp' ? ' udp' : '';
  const to = c.to ? `${endpoint(c.to.address, c.to.port)}${proto}` : '';
  switch (c.kind) {
    case 'inbound':
      return `inbound  ${c.from?.process} →${at} ${to} · ${c.listener}`;
    case 'loopback':
      return `loopback${at} → ${to} · ${c.listener}`;
    case 'outbound':
      return `outbound${at} → an address and port you type, as a process you pick`;
    case 'dns':
      return `DNS     ${at} → a resolver (udp 53), as a process you pick`;
  }
}

/** The sender in one line: `envoy (uid 1337, gid 1337, mark 0x539)`. */
export function senderText(s: TrafficSender): string {
  const mark = s.mark === undefined ? '' : `, mark 0x${s.mark.toString(16)}`;
  return `${s.process} (uid ${s.uid}, gid ${s.gid}${mark})`;
}
