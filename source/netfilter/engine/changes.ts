/**
 * What a step changed in a packet, as facts: the field, its value before and after
 * (`dst`, `10.0.0.2:9080`, `127.0.0.1:15001`). The words are trace/words/flow.ts.
 */
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

function hasPorts(p: Packet): boolean {
  return p.protocol !== 'icmp' && p.protocol !== 'icmpv6';
}
