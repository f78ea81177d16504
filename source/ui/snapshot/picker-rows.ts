/**
 * The picker's rows: each snapshot on one row (name, date, saved or curated, scenario title) and
 * the first line of its notes under it, or why it cannot be opened. Most recent first, as the
 * library lists them.
 */
import type { SnapshotEntry } from './types.js';

export interface PickerRow {
  readonly text: string;
  /** The entry this row belongs to, an index into the list. */
  readonly entry: number;
  readonly head: boolean;
  readonly unreadable: boolean;
}

/** `2026-11-26 02:10`: minutes are enough to tell saves apart by eye. */
const shortDate = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function pickerRows(entries: readonly SnapshotEntry[]): PickerRow[] {
  const width = Math.max(4, ...entries.map((e) => e.name.length));
  return entries.flatMap((e, entry) => {
    const unreadable = e.unreadable !== undefined;
    const head = `${e.name.padEnd(width)}  ${shortDate(e.date)}  ${e.kind.padEnd(7)}  ${
      unreadable ? 'UNREADABLE' : (e.title ?? '')
    }`;
    const under = unreadable ? e.unreadable : e.notes;
    return [
      { text: head, entry, head: true, unreadable },
      ...(under ? [{ text: `  ${under}`, entry, head: false, unreadable }] : []),
    ];
  });
}

/** The first row to show so that the picked entry's rows are all in a window of `fit` rows. */
export function pickerTop(rows: readonly PickerRow[], pick: number, fit: number): number {
  const first = rows.findIndex((r) => r.entry === pick);
  const last = rows.findLastIndex((r) => r.entry === pick);
  if (first < 0) return 0;
  return Math.max(0, Math.min(first, last - fit + 1));
}
