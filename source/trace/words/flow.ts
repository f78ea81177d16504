/** Packets, tuples and changes in the words people write them: `10.0.0.1:40000 → 10.0.0.2:9080`. */
import type { FieldChange, Packet, Tuple } from '../../model/index.js';

/** `10.0.0.2:9080`, `[fd00::2]:9080`. */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

type Ends = Pick<Packet, 'src' | 'sport' | 'dst' | 'dport'>;

/** "10.0.0.1:40000 → 10.0.0.2:9080": a packet's or a conntrack tuple's two ends. */
export function flowText(t: Ends): string {
  return `${endpointText(t.src, t.sport)} → ${endpointText(t.dst, t.dport)}`;
}

/** Source and destination as people write them: ICMP has no ports. */
export function packetEnds(p: Packet): string {
  return p.protocol !== 'icmp' && p.protocol !== 'icmpv6' ? flowText(p) : `${p.src} → ${p.dst}`;
}

/** A conntrack tuple as `conntrack -L` prints one. */
export function tupleText(t: Tuple): string {
  return `${t.protocol} src=${t.src} dst=${t.dst} sport=${t.sport} dport=${t.dport}`;
}

/** "dst 10.0.0.2:9080 → 10.0.0.2:15006", one change as the trace and the UI write it. */
export function changeText(c: FieldChange): string {
  return `${c.field} ${c.before} → ${c.after}`;
}

/** Everything a step changed, in one phrase ('' for nothing). */
export function changesText(changes: readonly FieldChange[]): string {
  return changes.map(changeText).join(', ');
}
