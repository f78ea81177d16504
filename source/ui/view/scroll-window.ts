/**
 * A scrolled window of `rows` rows on `total` lines, with a row given to a sign of more above
 * (`↑ more`) and below (`↓ more`) whenever lines are hidden there. The scroll is clamped, so a
 * pane scrolled past its end shows its last lines.
 */
export interface ScrollWindow {
  /** The first line shown. */
  readonly start: number;
  /** One past the last line shown. */
  readonly end: number;
  readonly above: boolean;
  readonly below: boolean;
}

export const MORE_ABOVE = '↑ more';
export const MORE_BELOW = '↓ more';

export function scrollWindow(total: number, rows: number, scroll: number): ScrollWindow {
  if (total <= rows) return { start: 0, end: total, above: false, below: false };
  // At the end only the sign above takes a row.
  const start = Math.max(0, Math.min(scroll, maxScroll(total, rows)));
  const above = start > 0;
  const room = Math.max(1, rows - (above ? 1 : 0));
  if (start + room >= total) return { start, end: total, above, below: false };
  return { start, end: start + Math.max(1, room - 1), above, below: true };
}

/** The furthest a window of `rows` rows on `total` lines scrolls: its last lines under ↑ more. */
export function maxScroll(total: number, rows: number): number {
  return total <= rows ? 0 : total - Math.max(1, rows - 1);
}
