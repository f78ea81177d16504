import type { ChainRow } from './chain-view.js';

/**
 * A line with its columns after `pinnedAt` scrolled `shift` columns left. `…` marks the cut on
 * every line alike, so rows stay under their column names.
 */
export function shiftedText(text: string, pinnedAt: number, shift: number): string {
  if (shift <= 0) return text;
  return `${text.slice(0, pinnedAt)}…${text.slice(pinnedAt + shift)}`;
}

/**
 * The shift actually drawn: no further than brings the end of the longest visible row into
 * view, so > never scrolls the text away altogether.
 */
export function usableShift(rows: readonly ChainRow[], width: number, shift: number): number {
  // Border (2), the row marker (2) and the `…` (1) take their columns from the pane.
  const overflow = Math.max(0, ...rows.map((r) => r.text.length - (width - 5)));
  return Math.max(0, Math.min(shift, overflow));
}
