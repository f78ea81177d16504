/**
 * The traffic item a choice of the picker makes (traffic-choices.ts), added to the scenario with
 * what it needs to run: a server where the destination is an address no host has. The item goes
 * last, so the items before it keep their indices (and `--set traffic.N` paths stay valid).
 */
import type { Scenario, TrafficItem } from '../model/index.js';
import type { TrafficChoice, TrafficSender } from './traffic-choices.js';
import { parseEndpoint, withListener } from './traffic-flags.js';

export interface Destination {
  readonly to: { readonly address: string; readonly port: number };
  readonly protocol: 'tcp' | 'udp';
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly column: number; readonly message: string };

/** `10.0.0.3:9080`, `[fd00::3]:53 udp`: where an outbound or DNS item goes, tcp unless said. */
export function parseDestination(text: string, fallback: 'tcp' | 'udp'): Parsed<Destination> {
  const words = text.trim().split(/\s+/);
  const first = text.length - text.trimStart().length + 1;
  const [where = '', proto, extra] = words;
  const to = parseEndpoint(where);
  if (!to)
    return {
      ok: false,
      column: first,
      message: `expected ADDRESS:PORT ([ADDRESS]:PORT for IPv6), found "${where}"`,
    };
  const protoColumn = text.indexOf(proto ?? '', first - 1 + where.length) + 1;
  if (proto !== undefined && proto !== 'tcp' && proto !== 'udp')
    return { ok: false, column: protoColumn, message: `expected tcp or udp, found "${proto}"` };
  if (extra !== undefined)
    return {
      ok: false,
      column: text.indexOf(extra, protoColumn) + 1,
      message: `expected the end of the line, found "${extra}"`,
    };
  return { ok: true, value: { to, protocol: (proto as 'tcp' | 'udp' | undefined) ?? fallback } };
}

export interface TrafficPick {
  readonly choice: TrafficChoice;
  /** Who sends, for every choice but inbound (which comes from the neighbour). */
  readonly sender?: TrafficSender;
  /** Where to, for outbound and DNS. */
  readonly destination?: Destination;
}

export type Added =
  | { readonly ok: true; readonly scenario: Scenario; readonly index: number }
  | { readonly ok: false; readonly message: string };

const endpoint = (to: Destination['to']) =>
  to.address.includes(':') ? `[${to.address}]:${to.port}` : `${to.address}:${to.port}`;

/** The scenario with the picked item last, and that item's index. */
export function addTraffic(scenario: Scenario, pick: TrafficPick): Added {
  const { choice } = pick;
  const from =
    choice.from ?? (pick.sender && { host: pick.sender.host, process: pick.sender.process });
  const dest: Destination | undefined =
    pick.destination ?? (choice.to && { to: choice.to, protocol: choice.protocol });
  if (!from) return { ok: false, message: 'no process to send from' };
  if (!dest) return { ok: false, message: 'no destination' };
  const host = scenario.world.hosts.find((h) => h.name === from.host);
  if (!host?.processes.some((p) => p.name === from.process))
    return { ok: false, message: `no process ${from.process} on ${from.host}` };
  const hosts = [...scenario.world.hosts];
  withListener(hosts, dest.to, dest.protocol, dest.to.address.includes(':'));
  const item: TrafficItem = {
    label: `${from.process}@${from.host} → ${endpoint(dest.to)}${dest.protocol === 'udp' ? ' (udp)' : ''} (${choice.kind}, picked)`,
    fromHost: from.host,
    process: from.process,
    to: dest.to,
    protocol: dest.protocol,
    payload: choice.kind === 'dns' ? 40 : 100,
  };
  return {
    ok: true,
    scenario: { world: { ...scenario.world, hosts }, traffic: [...scenario.traffic, item] },
    index: scenario.traffic.length,
  };
}
