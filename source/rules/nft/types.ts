/**
 * The datatypes of nft expressions and the values written against them: `80` after `tcp dport`
 * is an inet_service, `tcp` after `meta l4proto` an inet_proto, `new,established` after `ct
 * state` a set of flags. The reader checks values with it (what was expected, what was found);
 * the engine compiles them with it. Names are nft's own (`nft describe`).
 */
import type { NftExpr } from '../../model/nft.js';
import { parseCidr, parseIPv4, parseIPv6 } from '../../netfilter/address.js';

export type NftType =
  | 'ipv4_addr'
  | 'ipv6_addr'
  | 'inet_service'
  | 'inet_proto'
  | 'mark'
  | 'ifname'
  | 'ct_state'
  | 'ct_status'
  | 'ct_dir'
  | 'uid'
  | 'gid'
  | 'fib_addrtype'
  | 'nf_proto'
  | 'integer'
  | 'verdict';

/** What a typed value is: a number (or range), an address prefix or range, or a name. */
export type NftDatum =
  | { readonly kind: 'number'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'address'; readonly family: 'ipv4' | 'ipv6'; readonly text: string }
  | { readonly kind: 'name'; readonly text: string; readonly wildcard: boolean }
  /** A name nfdb cannot resolve without the system (a user or group name). */
  | { readonly kind: 'symbolic'; readonly text: string; readonly why: string };

const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  'ipv6-icmp': 58,
  sctp: 132,
  udplite: 136,
};

/** `ct state` bits (nf_conntrack_common.h: NF_CT_STATE_BIT). */
export const CT_STATE_BITS: Readonly<Record<string, number>> = {
  invalid: 1,
  established: 2,
  related: 4,
  new: 8,
  untracked: 64,
};

/** `ct status` bits (IPS_*). */
export const CT_STATUS_BITS: Readonly<Record<string, number>> = {
  expected: 1,
  'seen-reply': 2,
  assured: 4,
  confirmed: 8,
  snat: 16,
  dnat: 32,
  dying: 512,
};

export const FIB_TYPES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
] as const;

const SERVICES: Readonly<Record<string, number>> = {
  ssh: 22,
  domain: 53,
  http: 80,
  https: 443,
};

const META_TYPES: Readonly<Record<string, NftType>> = {
  l4proto: 'inet_proto',
  protocol: 'integer',
  nfproto: 'nf_proto',
  mark: 'mark',
  iifname: 'ifname',
  oifname: 'ifname',
  iif: 'ifname',
  oif: 'ifname',
  skuid: 'uid',
  skgid: 'gid',
  nftrace: 'integer',
  priority: 'integer',
};

/** The type an expression yields; undefined for one the reader cannot type. */
export function typeOf(expr: NftExpr): NftType | undefined {
  switch (expr.kind) {
    case 'payload':
      if (expr.field === 'saddr' || expr.field === 'daddr')
        return expr.protocol === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
      if (expr.field === 'sport' || expr.field === 'dport') return 'inet_service';
      if (expr.field === 'protocol' || expr.field === 'nexthdr') return 'inet_proto';
      return 'integer';
    case 'meta':
      return META_TYPES[expr.key] ?? 'integer';
    case 'ct':
      if (expr.key === 'state') return 'ct_state';
      if (expr.key === 'status') return 'ct_status';
      if (expr.key === 'direction') return 'ct_dir';
      if (expr.key === 'mark') return 'mark';
      if (expr.key === 'saddr' || expr.key === 'daddr') return undefined;
      if (expr.key === 'ip saddr' || expr.key === 'ip daddr') return 'ipv4_addr';
      if (expr.key === 'ip6 saddr' || expr.key === 'ip6 daddr') return 'ipv6_addr';
      if (expr.key === 'proto-src' || expr.key === 'proto-dst') return 'inet_service';
      return 'integer';
    case 'fib':
      return expr.result === 'type' ? 'fib_addrtype' : 'ifname';
    case 'numgen':
      return 'integer';
    case 'binop':
      return typeOf(expr.left);
    case 'concat':
      return undefined;
  }
}

/** The types of a concatenation's parts (one part for a plain expression). */
export function partTypes(expr: NftExpr): (NftType | undefined)[] {
  return expr.kind === 'concat' ? expr.parts.map(typeOf) : [typeOf(expr)];
}

/** Set and map declarations name their key types: `ipv4_addr . inet_proto . inet_service`. */
export function declaredType(name: string): NftType | undefined {
  const known: readonly string[] = [
    'ipv4_addr',
    'ipv6_addr',
    'inet_service',
    'inet_proto',
    'mark',
    'ifname',
    'ct_state',
    'uid',
    'gid',
    'verdict',
    'integer',
  ];
  if (known.includes(name)) return name as NftType;
  if (name === 'ether_type' || name === 'nf_proto') return 'integer';
  return undefined;
}

function integer(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  return undefined;
}

function numberOrRange(text: string, one: (t: string) => number | undefined): NftDatum | undefined {
  const dash = text.indexOf('-', 1);
  if (dash > 0) {
    const lo = one(text.slice(0, dash));
    const hi = one(text.slice(dash + 1));
    return lo !== undefined && hi !== undefined && lo <= hi
      ? { kind: 'number', lo, hi }
      : undefined;
  }
  const v = one(text);
  return v === undefined ? undefined : { kind: 'number', lo: v, hi: v };
}

function flags(text: string, bits: Readonly<Record<string, number>>): NftDatum | undefined {
  const v = bits[text] ?? integer(text);
  return v === undefined ? undefined : { kind: 'number', lo: v, hi: v };
}

function address(text: string, family: 'ipv4' | 'ipv6'): NftDatum | undefined {
  const dash = text.indexOf('-');
  if (dash > 0 && !text.includes('/')) {
    const parse = family === 'ipv4' ? parseIPv4 : parseIPv6;
    return parse(text.slice(0, dash)) !== undefined && parse(text.slice(dash + 1)) !== undefined
      ? { kind: 'address', family, text }
      : undefined;
  }
  const cidr = parseCidr(text, family);
  return cidr.ok && cidr.cidr.prefix >= 0 ? { kind: 'address', family, text } : undefined;
}

/** What each type takes, for "expected …" in a diagnostic. */
export const EXPECTED: Readonly<Record<NftType, string>> = {
  ipv4_addr: 'an IPv4 address, prefix or range',
  ipv6_addr: 'an IPv6 address, prefix or range',
  inet_service: 'a port, a port range or a service name',
  inet_proto: 'a protocol name or number',
  mark: 'a number (0x… or decimal)',
  ifname: 'an interface name',
  ct_state: 'a conntrack state (new, established, related, invalid, untracked)',
  ct_status: 'a conntrack status (expected, seen-reply, assured, confirmed, snat, dnat, dying)',
  ct_dir: 'original or reply',
  uid: 'a user id or name',
  gid: 'a group id or name',
  fib_addrtype: `an address type (${FIB_TYPES.join(', ')})`,
  nf_proto: 'ipv4 or ipv6',
  integer: 'a number',
  verdict: 'a verdict',
};

/** A value typed by `type`; undefined when it is not one. */
export function typedValue(text: string, type: NftType): NftDatum | undefined {
  switch (type) {
    case 'ipv4_addr':
      return address(text, 'ipv4');
    case 'ipv6_addr':
      return address(text, 'ipv6');
    case 'inet_service':
      return numberOrRange(text, (t) => {
        const v = SERVICES[t] ?? integer(t);
        return v !== undefined && v <= 65535 ? v : undefined;
      });
    case 'inet_proto':
      return numberOrRange(text, (t) => PROTOCOLS[t] ?? integer(t));
    case 'mark':
    case 'integer':
      return numberOrRange(text, integer);
    case 'uid':
    case 'gid': {
      const n = numberOrRange(text, integer);
      if (n) return n;
      return /^[a-z_][a-z0-9_.-]*\$?$/i.test(text)
        ? {
            kind: 'symbolic',
            text,
            why: `a ${type === 'uid' ? 'user' : 'group'} name needs the system's database`,
          }
        : undefined;
    }
    case 'ifname':
      return text.length > 0 && text.length < 16
        ? { kind: 'name', text: text.replace(/\*$/, ''), wildcard: text.endsWith('*') }
        : undefined;
    case 'ct_state':
      return flags(text, CT_STATE_BITS);
    case 'ct_status':
      return flags(text, CT_STATUS_BITS);
    case 'ct_dir':
      return text === 'original'
        ? { kind: 'number', lo: 0, hi: 0 }
        : text === 'reply'
          ? { kind: 'number', lo: 1, hi: 1 }
          : undefined;
    case 'fib_addrtype':
      return (FIB_TYPES as readonly string[]).includes(text)
        ? { kind: 'name', text, wildcard: false }
        : undefined;
    case 'nf_proto':
      return text === 'ipv4'
        ? { kind: 'number', lo: 2, hi: 2 }
        : text === 'ipv6'
          ? { kind: 'number', lo: 10, hi: 10 }
          : undefined;
    case 'verdict':
      return undefined;
  }
}

/** Whether a type's values are bit flags (a bare value means "any of these bits"). */
export function isFlagType(type: NftType | undefined): boolean {
  return type === 'ct_state' || type === 'ct_status';
}

/** Duration text (`10800s`, `3h`, `1d2h`) in seconds. */
export function durationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = text;
  if (/^\d+$/.test(rest)) return Number(rest);
  while (rest.length > 0) {
    const m = /^(\d+)(ms|d|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total;
}
