/**
 * ipsets as the kernel's ip_set hash types keep and test them (net/netfilter/ipset/). A set has
 * one to three dimensions, named by its type (`hash:ip,port` is an address, then a protocol
 * and port); `-m set --match-set NAME src,dst` says, per dimension, whether the packet's source
 * or destination fills it. Members are read once, from the text `ipset add` takes; a test is a
 * scan of them (a scenario's sets are small).
 */
import type { Family, IpSetConfig, IpSetType, Packet } from '../model/index.js';
import {
  type Address,
  type CompiledCidr,
  cidrContains,
  parseAddress,
  parseCidr,
} from './address.js';

/** What fills one dimension: an address (`ip`), a prefix (`net`), a protocol and port. */
export type Dimension = 'ip' | 'net' | 'port';

/**
 * Each type's dimensions, and whether it takes `nomatch` entries (the kernel's
 * IPSET_TYPE_NOMATCH feature: the types with a `net` dimension).
 */
export const IPSET_DIMENSIONS: Readonly<Record<IpSetType, readonly Dimension[]>> = {
  'hash:ip': ['ip'],
  'hash:net': ['net'],
  'hash:ip,port': ['ip', 'port'],
  'hash:net,port': ['net', 'port'],
  'hash:ip,port,ip': ['ip', 'port', 'ip'],
  'hash:ip,port,net': ['ip', 'port', 'net'],
  'hash:net,net': ['net', 'net'],
  'hash:net,port,net': ['net', 'port', 'net'],
};

export function takesNomatch(type: IpSetType): boolean {
  return IPSET_DIMENSIONS[type].includes('net');
}

type Part =
  | { readonly kind: 'address'; readonly cidr: CompiledCidr; readonly prefix: number }
  | {
      readonly kind: 'port';
      readonly protocol: number;
      readonly from: number;
      readonly to: number;
    };

export interface IpSetEntry {
  /** The member as the scenario gives it. */
  readonly text: string;
  readonly parts: readonly Part[];
  /** `ipset add NAME 10.0.0.0/24 nomatch`: an exception carved out of a larger entry. */
  readonly nomatch: boolean;
}

export interface IpSet {
  readonly name: string;
  readonly type: IpSetType;
  readonly family: Family;
  readonly dimensions: readonly Dimension[];
  readonly entries: readonly IpSetEntry[];
}

/** Protocols `ipset` names in a port dimension (ip_set_getport.c), by number. */
const PROTOCOLS: Readonly<Record<string, number>> = {
  tcp: 6,
  udp: 17,
  sctp: 132,
  udplite: 136,
  icmp: 1,
  icmpv6: 58,
};

function readAddress(text: string, dimension: 'ip' | 'net', family: Family): Part | string {
  const parsed = parseCidr(text, family);
  const expected =
    dimension === 'net'
      ? `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address or prefix`
      : `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address (or a prefix of them)`;
  if (!parsed.ok || parsed.cidr.prefix < 0) return expected;
  // hash:net refuses a /0 (ip_set_hash_net.c: `if (!e.cidr || e.cidr > HOST_MASK)`).
  if (dimension === 'net' && parsed.cidr.prefix === 0) return `${expected}, not /0`;
  return { kind: 'address', cidr: parsed.compiled, prefix: parsed.cidr.prefix };
}

/** `80`, `tcp:80`, `udp:1000-2000`, `icmp:8/0`: the protocol is tcp when not named. */
function readPort(text: string): Part | string {
  const expected = '[tcp|udp|sctp|udplite:]PORT[-PORT] or icmp:TYPE/CODE';
  const m = /^(?:([a-z0-9]+):)?(\d+)(?:([-/])(\d+))?$/.exec(text);
  if (!m) return expected;
  const name = m[1] ?? 'tcp';
  const protocol = PROTOCOLS[name];
  if (protocol === undefined) return expected;
  const a = Number(m[2]);
  const b = m[4] === undefined ? undefined : Number(m[4]);
  if (name === 'icmp' || name === 'icmpv6') {
    // The kernel keeps an ICMP type and code in the port: (type << 8) | code.
    if (m[3] === '-' || a > 255 || (b ?? 0) > 255) return expected;
    const port = (a << 8) | (b ?? 0);
    return { kind: 'port', protocol, from: port, to: port };
  }
  if (m[3] === '/' || a > 65535 || (b ?? a) > 65535 || (b ?? a) < a) return expected;
  return { kind: 'port', protocol, from: a, to: b ?? a };
}

/** One member, or what was expected instead. */
export function readMember(
  text: string,
  type: IpSetType,
  family: Family,
): IpSetEntry | { readonly expected: string } {
  const dimensions = IPSET_DIMENSIONS[type];
  const words = text.trim().split(/\s+/);
  const nomatch = words[1] === 'nomatch';
  if (words.length > (nomatch ? 2 : 1))
    return { expected: `${type} member${takesNomatch(type) ? ' [nomatch]' : ''}` };
  if (nomatch && !takesNomatch(type)) return { expected: `${type} member (without nomatch)` };
  const fields = (words[0] ?? '').split(',');
  if (fields.length !== dimensions.length)
    return { expected: `${dimensions.length} field(s) separated by commas, as ${type}` };
  const parts: Part[] = [];
  for (const [i, dimension] of dimensions.entries()) {
    const field = fields[i] ?? '';
    const part = dimension === 'port' ? readPort(field) : readAddress(field, dimension, family);
    if (typeof part === 'string') return { expected: part };
    parts.push(part);
  }
  return { text, parts, nomatch };
}

/** A set from the scenario's config, and the members it could not read (by index). */
export function compileIpSet(config: IpSetConfig): {
  readonly set: IpSet;
  readonly errors: readonly { readonly member: number; readonly expected: string }[];
} {
  const entries: IpSetEntry[] = [];
  const errors: { member: number; expected: string }[] = [];
  config.members.forEach((text, member) => {
    const read = readMember(text, config.type, config.family);
    if ('expected' in read) errors.push({ member, expected: read.expected });
    else entries.push(read);
  });
  const set: IpSet = {
    name: config.name,
    type: config.type,
    family: config.family,
    dimensions: IPSET_DIMENSIONS[config.type],
    entries,
  };
  return { set, errors };
}

const compiled = new WeakMap<readonly IpSetConfig[], ReadonlyMap<string, IpSet>>();

/** A host's sets by name, read once per config (the engine asks at every `-m set`). */
export function ipsetsByName(configs: readonly IpSetConfig[]): ReadonlyMap<string, IpSet> {
  let byName = compiled.get(configs);
  if (!byName) {
    byName = new Map(configs.map((c) => [c.name, compileIpSet(c).set]));
    compiled.set(configs, byName);
  }
  return byName;
}

export type Direction = 'src' | 'dst';

/** What one dimension of the packet holds: an address, or a protocol and port. */
type Value =
  | { readonly kind: 'address'; readonly address: Address }
  | { readonly kind: 'port'; readonly protocol: number; readonly port: number };

/**
 * ip_set_get_ip4_port (ip_set_getport.c): TCP, UDP, SCTP and UDP-Lite give the port the flag
 * names; ICMP gives (type << 8) | code whatever the flag; any other protocol gives port 0. A
 * fragment other than the first has no header to read: no value, the test fails.
 */
function portOf(packet: Packet, direction: Direction): Value | undefined {
  if (packet.fragment) return undefined;
  const protocol = packet.protocolNumber;
  if (protocol === 1 || protocol === 58) {
    const port = ((packet.icmpType ?? 0) << 8) | (packet.icmpCode ?? 0);
    return { kind: 'port', protocol, port };
  }
  const ported = [6, 17, 132, 136].includes(protocol);
  const port = ported ? (direction === 'src' ? packet.sport : packet.dport) : 0;
  return { kind: 'port', protocol, port };
}

function dimensionValue(
  packet: Packet,
  dimension: Dimension,
  direction: Direction,
): Value | undefined {
  if (dimension === 'port') return portOf(packet, direction);
  const address = parseAddress(direction === 'src' ? packet.src : packet.dst);
  return address && { kind: 'address', address };
}

function holds(part: Part, value: Value): boolean {
  if (part.kind === 'address')
    return value.kind === 'address' && cidrContains(part.cidr, value.address);
  return (
    value.kind === 'port' &&
    value.protocol === part.protocol &&
    value.port >= part.from &&
    value.port <= part.to
  );
}

/**
 * Which entry the kernel finds: mtype_test_cidrs tries the set's prefix lengths from the most
 * specific down (for two `net` dimensions, the first one's outermost), so the longest prefix
 * wins and a `nomatch` /32 inside a matching /24 hides it.
 */
function moreSpecific(a: IpSetEntry, b: IpSetEntry, dimensions: readonly Dimension[]): number {
  for (const [i, dimension] of dimensions.entries()) {
    if (dimension !== 'net') continue;
    const pa = a.parts[i];
    const pb = b.parts[i];
    const d = (pb?.kind === 'address' ? pb.prefix : 0) - (pa?.kind === 'address' ? pa.prefix : 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What ip_set_test sees, before --return-nomatch and `!`: the set cannot be tested (`family`,
 * `dimensions`: it returns 0 before looking), the packet has no value for a dimension, or the
 * entry the kernel finds (none: `miss`).
 */
export type SetLookup =
  | { readonly kind: 'family' }
  | { readonly kind: 'dimensions' }
  | { readonly kind: 'no-value'; readonly dimension: number }
  | { readonly kind: 'miss'; readonly values: readonly string[] }
  | { readonly kind: 'hit'; readonly entry: IpSetEntry; readonly values: readonly string[] };

/** A port value as `ipset` writes one: `tcp:80`. */
function portText(protocol: number, port: number): string {
  const name = Object.entries(PROTOCOLS).find(([, n]) => n === protocol)?.[0];
  return `${name ?? protocol}:${port}`;
}

export function lookup(set: IpSet, packet: Packet, flags: readonly Direction[]): SetLookup {
  // ip_set_test: `if (opt->dim < set->type->dimension || !(opt->family == set->family ...))
  // return 0;` — more flags than dimensions are ignored.
  if (packet.family !== set.family) return { kind: 'family' };
  if (flags.length < set.dimensions.length) return { kind: 'dimensions' };
  const values: Value[] = [];
  for (const [i, dimension] of set.dimensions.entries()) {
    const value = dimensionValue(packet, dimension, flags[i] ?? 'dst');
    if (!value) return { kind: 'no-value', dimension: i };
    values.push(value);
  }
  const texts = values.map((v, i) =>
    v.kind === 'address'
      ? flags[i] === 'src'
        ? packet.src
        : packet.dst
      : portText(v.protocol, v.port),
  );
  let found: IpSetEntry | undefined;
  for (const entry of set.entries) {
    if (!entry.parts.every((part, i) => holds(part, values[i] as Value))) continue;
    if (!found || moreSpecific(entry, found, set.dimensions) < 0) found = entry;
  }
  return found ? { kind: 'hit', entry: found, values: texts } : { kind: 'miss', values: texts };
}
