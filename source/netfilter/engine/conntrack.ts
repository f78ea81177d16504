/**
 * One host's conntrack table (nf_conntrack_core.c, in the part nfdb needs): entries keyed by
 * their original and reply tuples within a zone; NEW until a reply is seen; confirmed when the
 * first packet leaves the last hook (an entry of a dropped first packet never existed); NAT as a
 * rewrite of the reply tuple, decided once per manip type on the first packet.
 *
 * Mutable on purpose: it lives inside one simulate() call, and the trace keeps immutable views.
 */
import type { ConntrackView, Packet, Tuple } from '../../model/index.js';

export type ManipType = 'dnat' | 'snat';

export interface Entry {
  readonly id: string;
  original: Tuple;
  reply: Tuple;
  zone: number;
  mark: number;
  seenReply: boolean;
  confirmed: boolean;
  /** Which manip types are decided (a rule's binding or the null binding). */
  natDone: Set<ManipType>;
  /** Which manip types rewrote the tuple (IPS_SRC_NAT / IPS_DST_NAT). */
  natApplied: Set<ManipType>;
}

export function tupleOf(packet: Packet): Tuple {
  return {
    protocol: packet.protocol,
    src: packet.src,
    dst: packet.dst,
    sport: packet.sport,
    dport: packet.dport,
  };
}

export function invert(t: Tuple): Tuple {
  return { protocol: t.protocol, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

const key = (t: Tuple, zone: number) =>
  `${zone} ${t.protocol} ${t.src} ${t.sport} ${t.dst} ${t.dport}`;

export class ConntrackTable {
  private readonly entries = new Map<string, Entry>();
  private next = 1;

  constructor(private readonly host: string) {}

  lookup(
    packet: Packet,
    zone: number,
  ): { entry: Entry; direction: 'original' | 'reply' } | undefined {
    return this.lookupTuple(tupleOf(packet), zone);
  }

  lookupTuple(
    t: Tuple,
    zone: number,
  ): { entry: Entry; direction: 'original' | 'reply' } | undefined {
    const entry = this.entries.get(key(t, zone));
    if (!entry) return undefined;
    const isOriginal = key(entry.original, entry.zone) === key(t, zone);
    return { entry, direction: isOriginal ? 'original' : 'reply' };
  }

  /** A new, unconfirmed entry: not in the table until confirm(). */
  create(packet: Packet, zone: number): Entry {
    const original = tupleOf(packet);
    return {
      id: `${this.host}#${this.next++}`,
      original,
      reply: invert(original),
      zone,
      mark: 0,
      seenReply: false,
      confirmed: false,
      natDone: new Set(),
      natApplied: new Set(),
    };
  }

  confirm(entry: Entry): void {
    if (entry.confirmed) return;
    entry.confirmed = true;
    this.entries.set(key(entry.original, entry.zone), entry);
    this.entries.set(key(entry.reply, entry.zone), entry);
  }

  /** NAT changed the reply tuple: re-key it (only before confirmation in practice). */
  setReply(entry: Entry, reply: Tuple): void {
    if (entry.confirmed) this.entries.delete(key(entry.reply, entry.zone));
    entry.reply = reply;
    if (entry.confirmed) this.entries.set(key(entry.reply, entry.zone), entry);
  }
}

export function viewOf(
  entry: Entry,
  direction: 'original' | 'reply',
  untracked = false,
  related = false,
): ConntrackView {
  const state = untracked
    ? 'UNTRACKED'
    : related
      ? 'RELATED'
      : direction === 'reply' || entry.seenReply
        ? 'ESTABLISHED'
        : 'NEW';
  const status: string[] = [];
  if (entry.seenReply) status.push('SEEN_REPLY');
  if (entry.confirmed) status.push('CONFIRMED');
  if (entry.natApplied.has('snat')) status.push('SNAT');
  if (entry.natApplied.has('dnat')) status.push('DNAT');
  return {
    id: entry.id,
    state,
    direction,
    original: entry.original,
    reply: entry.reply,
    mark: entry.mark,
    zone: entry.zone,
    status,
  };
}
