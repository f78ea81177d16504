/**
 * NAT as conntrack does it (nf_nat_core.c): a binding rewrites the entry's reply tuple once, on
 * the first packet; every packet of the connection is then rewritten from the tuples alone, in
 * both directions, at the hooks of its manip type. So only the first packet visits a nat chain.
 */
import type { Hook, Packet, Tuple } from '../../model/index.js';
import type { Entry, ManipType } from './conntrack.js';

/** DNAT happens where a packet enters the stack, SNAT where it leaves it (HOOK2MANIP). */
export function manipOf(hook: Hook): ManipType | undefined {
  if (hook === 'PREROUTING' || hook === 'OUTPUT') return 'dnat';
  if (hook === 'INPUT' || hook === 'POSTROUTING') return 'snat';
  return undefined;
}

export interface Binding {
  readonly kind: ManipType;
  readonly address: string;
  readonly port?: number;
}

/** The reply tuple after a binding: DNAT moves where replies come from, SNAT where they go. */
export function boundReply(reply: Tuple, binding: Binding): Tuple {
  return binding.kind === 'dnat'
    ? { ...reply, src: binding.address, sport: binding.port ?? reply.sport }
    : { ...reply, dst: binding.address, dport: binding.port ?? reply.dport };
}

/**
 * Rewrites a packet at a manip point to what the tuples say: the original direction heads for
 * the inverse of the reply tuple, the reply direction for the inverse of the original tuple.
 */
export function manipPacket(
  packet: Packet,
  entry: Entry,
  direction: 'original' | 'reply',
  manip: ManipType,
): Packet {
  const other = direction === 'original' ? entry.reply : entry.original;
  if (manip === 'dnat') {
    if (packet.dst === other.src && packet.dport === other.sport) return packet;
    return { ...packet, dst: other.src, dport: other.sport };
  }
  if (packet.src === other.dst && packet.sport === other.dport) return packet;
  return { ...packet, src: other.dst, sport: other.dport };
}

/**
 * nf_nat_icmp_reply_translation: an ICMP error about a NATed connection is rewritten from the
 * connection's tuples, at the same hooks as its packets. The outer header is rewritten as any
 * packet of that direction (addresses only: ICMP has no ports); the packet it quotes travelled
 * the other way, so it gets the opposite manip, towards the other direction's own tuple. The
 * kernel does it only where the connection has that NAT (its status bits), hence `needs`.
 */
export function manipIcmpError(
  packet: Packet,
  entry: Entry,
  direction: 'original' | 'reply',
  manip: ManipType,
): Packet {
  const quoted = packet.embedded;
  const flipped: ManipType = manip === 'dnat' ? 'snat' : 'dnat';
  const needs = direction === 'original' ? manip : flipped;
  if (!quoted || !entry.natApplied.has(needs)) return packet;
  const other = direction === 'original' ? entry.reply : entry.original;
  const outer: Partial<Packet> = manip === 'dnat' ? { dst: other.src } : { src: other.dst };
  const inner: Partial<Tuple> =
    manip === 'dnat'
      ? { src: other.src, sport: other.sport }
      : { dst: other.dst, dport: other.dport };
  if (!differs(packet, outer) && !differs(quoted, inner)) return packet;
  return { ...packet, ...outer, embedded: { ...quoted, ...inner } };
}

/** Whether applying `patch` to `base` would change any field. */
function differs<T extends object>(base: T, patch: Partial<T>): boolean {
  return (Object.keys(patch) as (keyof T)[]).some((k) => base[k] !== patch[k]);
}
