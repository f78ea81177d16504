/**
 * The routing decision (fib_lookup): ip rules by priority, then the longest prefix of the table
 * a rule points to. The local table holds every address of the host, and 127.0.0.0/8 and ::1 on
 * lo whatever else lo has; the main table the connected subnets and the configured routes. TPROXY's `fwmark 0x539 lookup 133`
 * with `local default dev lo table 133` is just another rule and route here.
 */
import type { Family, HostConfig, IpRuleConfig, RouteConfig } from '../../model/index.js';
import { type Address, type CompiledCidr, cidrContains, parseCidr } from '../address.js';
import { addressOf } from './basic-match.js';

export interface Route {
  readonly type: 'local' | 'unicast' | 'blackhole' | 'unreachable';
  readonly dev: string;
  readonly via?: string;
  /** The source address a local socket gets for this route. */
  readonly src?: string;
  readonly table: number;
  readonly text: string;
}

interface CompiledRoute extends Route {
  readonly cidr: CompiledCidr;
  readonly prefix: number;
}

interface CompiledIpRule {
  readonly priority: number;
  readonly table: number;
  readonly mark?: { readonly value: number; readonly mask: number };
  readonly from?: CompiledCidr;
  readonly to?: CompiledCidr;
  readonly text: string;
}

export interface HostAddress {
  readonly iface: string;
  readonly address: string;
  readonly prefix: number;
  readonly family: Family;
}

export interface RoutingTables {
  readonly family: Family;
  readonly tables: ReadonlyMap<number, readonly CompiledRoute[]>;
  readonly rules: readonly CompiledIpRule[];
}

export const LOCAL_TABLE = 255;
export const MAIN_TABLE = 254;

function cidr(text: string, family: Family): { cidr: CompiledCidr; prefix: number } | undefined {
  const any = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
  const full =
    text === 'default'
      ? any
      : text.includes('/')
        ? text
        : `${text}/${family === 'ipv4' ? 32 : 128}`;
  const r = parseCidr(full, family);
  return r.ok ? { cidr: r.compiled, prefix: r.cidr.prefix } : undefined;
}

export function familyOf(address: string): Family {
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

function hostAddress(iface: string, text: string): HostAddress {
  const [address = '', prefix] = text.split('/');
  const family = familyOf(address);
  return {
    iface,
    address,
    prefix: Number(prefix ?? (family === 'ipv4' ? 32 : 128)),
    family,
  };
}

/**
 * lo's own addresses: the kernel gives lo 127.0.0.1/8 and ::1 when it comes up and keeps them
 * whatever else is added (Istio adds ::6/128, some add 127.0.0.6/32). 127.0.0.1 stays the first
 * IPv4 address; IPv6 lists global scope (::6) before host scope (::1), as `ip addr` shows.
 */
function withLoopback(given: readonly HostAddress[]): HostAddress[] {
  const has = (address: string) => given.some((a) => a.address === address);
  return [
    ...(has('127.0.0.1') ? [] : [hostAddress('lo', '127.0.0.1/8')]),
    ...given,
    ...(has('::1') ? [] : [hostAddress('lo', '::1/128')]),
  ];
}

const LOOPBACK_NETS = {
  ipv4: cidr('127.0.0.0/8', 'ipv4')?.cidr,
  ipv6: cidr('::1/128', 'ipv6')?.cidr,
} as const;

/** 127.0.0.0/8 or ::1: addresses that only lo may receive (the kernel's loopback checks). */
export function isLoopback(address: string): boolean {
  const net = LOOPBACK_NETS[familyOf(address)];
  return net !== undefined && cidrContains(net, addressOf(address));
}

export function hostAddresses(host: HostConfig): HostAddress[] {
  const out: HostAddress[] = [];
  for (const iface of host.interfaces) {
    const given = iface.addresses.map((a) => hostAddress(iface.name, a));
    out.push(...(iface.name === 'lo' ? withLoopback(given) : given));
  }
  if (!host.interfaces.some((i) => i.name === 'lo')) out.push(...withLoopback([]));
  return out;
}

function parseMark(text: string): { value: number; mask: number } {
  const [v = '0', m] = text.split('/');
  return { value: Number(v) >>> 0, mask: m === undefined ? 0xffffffff : Number(m) >>> 0 };
}

export function buildRouting(host: HostConfig, family: Family): RoutingTables {
  const tables = new Map<number, CompiledRoute[]>();
  const add = (table: number, route: Route, dest: string) => {
    const c = cidr(dest, family);
    if (!c) return;
    const list = tables.get(table) ?? [];
    list.push({ ...route, ...c });
    tables.set(table, list);
  };
  for (const a of hostAddresses(host).filter((x) => x.family === family)) {
    // On lo an IPv4 prefix is local as a whole (fib_add_ifaddr: RTN_LOCAL for a loopback device).
    const loNet = a.iface === 'lo' && family === 'ipv4' && a.prefix < 32;
    add(
      LOCAL_TABLE,
      {
        type: 'local',
        dev: 'lo',
        src: a.address,
        table: LOCAL_TABLE,
        text: `local ${loNet ? `${networkOf(a)}/${a.prefix}` : a.address} dev lo table local`,
      },
      loNet ? `${a.address}/${a.prefix}` : a.address,
    );
    if (a.iface !== 'lo')
      add(
        MAIN_TABLE,
        {
          type: 'unicast',
          dev: a.iface,
          src: a.address,
          table: MAIN_TABLE,
          text: `${networkOf(a)}/${a.prefix} dev ${a.iface} src ${a.address}`,
        },
        `${a.address}/${a.prefix}`,
      );
  }
  for (const r of host.routes.filter((x) => routeFamily(x) === family)) {
    const table = r.table ?? MAIN_TABLE;
    add(
      table,
      { type: r.type ?? 'unicast', dev: r.dev, via: r.via, src: r.src, table, text: routeText(r) },
      r.destination,
    );
  }
  const rules: CompiledIpRule[] = [
    { priority: 0, table: LOCAL_TABLE, text: '0: from all lookup local' },
    ...host.ipRules.map((r) => compileIpRule(r, family)),
    { priority: 32766, table: MAIN_TABLE, text: '32766: from all lookup main' },
  ].sort((a, b) => a.priority - b.priority);
  return { family, tables, rules };
}

function networkOf(a: HostAddress): string {
  const r = parseCidr(`${a.address}/${a.prefix}`, a.family);
  return r.ok ? r.cidr.address : a.address;
}

function routeFamily(r: RouteConfig): Family {
  if (r.destination === 'default') return r.via ? familyOf(r.via) : 'ipv4';
  return familyOf(r.destination);
}

function routeText(r: RouteConfig): string {
  const type = r.type && r.type !== 'unicast' ? `${r.type} ` : '';
  const via = r.via ? ` via ${r.via}` : '';
  const table = r.table && r.table !== MAIN_TABLE ? ` table ${r.table}` : '';
  return `${type}${r.destination}${via} dev ${r.dev}${table}`;
}

function compileIpRule(r: IpRuleConfig, family: Family): CompiledIpRule {
  const from = r.from ? cidr(r.from, family)?.cidr : undefined;
  const to = r.to ? cidr(r.to, family)?.cidr : undefined;
  const text = `${r.priority}: from ${r.from ?? 'all'}${r.to ? ` to ${r.to}` : ''}${r.fwmark ? ` fwmark ${r.fwmark}` : ''} lookup ${r.table}`;
  return {
    priority: r.priority,
    table: r.table,
    mark: r.fwmark ? parseMark(r.fwmark) : undefined,
    from,
    to,
    text,
  };
}

export interface RouteQuery {
  readonly dst: string;
  readonly src?: string;
  readonly mark: number;
}

export interface RouteAnswer {
  readonly route?: Route;
  /** The ip rule that chose the table, for the explanation. */
  readonly rule: string;
}

function longest(
  routes: readonly CompiledRoute[] | undefined,
  dst: Address,
): CompiledRoute | undefined {
  let best: CompiledRoute | undefined;
  for (const r of routes ?? []) {
    if (cidrContains(r.cidr, dst) && (!best || r.prefix > best.prefix)) best = r;
  }
  return best;
}

/** The local table's `local` route for an address, if the host owns it (inet_addr_type). */
export function localRoute(rt: RoutingTables, dst: string): Route | undefined {
  const route = longest(rt.tables.get(LOCAL_TABLE), addressOf(dst));
  return route?.type === 'local' ? route : undefined;
}

export function lookupRoute(rt: RoutingTables, q: RouteQuery): RouteAnswer {
  const dst = addressOf(q.dst);
  const src = q.src ? addressOf(q.src) : undefined;
  for (const rule of rt.rules) {
    if (rule.mark && (q.mark & rule.mark.mask) >>> 0 !== rule.mark.value) continue;
    if (rule.from && (!src || !cidrContains(rule.from, src))) continue;
    if (rule.to && !cidrContains(rule.to, dst)) continue;
    const route = longest(rt.tables.get(rule.table), dst);
    if (route) return { route, rule: rule.text };
  }
  return { rule: 'no ip rule found a route' };
}
