/** What a step changed in a packet, for the UI's "dst 10.0.0.2:9080 → 127.0.0.1:15001". */
import type { FieldChange, Packet } from '../../model/index.js';
import { hex } from '../extension.js';

const endpoint = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

/** A step that changed nothing (most rules): one shared, frozen empty list. */
export const NO_CHANGES: readonly FieldChange[] = Object.freeze([]);

export function packetChanges(before: Packet, after: Packet): FieldChange[] {
  if (before === after) return [];
  const changes: FieldChange[] = [];
  const at = hasPorts(before) ? endpoint : (address: string, _port: number): string => address;
  const src = [at(before.src, before.sport), at(after.src, after.sport)] as const;
  const dst = [at(before.dst, before.dport), at(after.dst, after.dport)] as const;
  if (src[0] !== src[1]) changes.push({ field: 'src', before: src[0], after: src[1] });
  if (dst[0] !== dst[1]) changes.push({ field: 'dst', before: dst[0], after: dst[1] });
  if (before.mark !== after.mark)
    changes.push({ field: 'mark', before: hex(before.mark), after: hex(after.mark) });
  if (before.outInterface !== after.outInterface)
    changes.push({
      field: 'out',
      before: before.outInterface ?? '-',
      after: after.outInterface ?? '-',
    });
  return changes;
}

/** "dst 10.0.0.2:9080 → 10.0.0.2:15006", one change as the trace and the UI write it. */
export function changeText(c: FieldChange): string {
  return `${c.field} ${c.before} → ${c.after}`;
}

/** Everything a step changed, in one phrase ('' for nothing). */
export function changesText(before: Packet, after: Packet): string {
  return packetChanges(before, after).map(changeText).join(', ');
}

type Ends = Pick<Packet, 'src' | 'sport' | 'dst' | 'dport'>;

/** "10.0.0.1:40000 → 10.0.0.2:9080": a packet's or a conntrack tuple's two ends. */
export function flowText(t: Ends): string {
  return `${endpoint(t.src, t.sport)} → ${endpoint(t.dst, t.dport)}`;
}

/** Source and destination as people write them: ICMP has no ports. */
export function packetEnds(p: Packet): string {
  return hasPorts(p) ? flowText(p) : `${p.src} → ${p.dst}`;
}

function hasPorts(p: Packet): boolean {
  return p.protocol !== 'icmp' && p.protocol !== 'icmpv6';
}
