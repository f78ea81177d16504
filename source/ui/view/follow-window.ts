import { maxScroll, type ScrollWindow, scrollWindow } from './scroll-window.js';

/**
 * A window of `rows` rows on `total` lines that follows a line (the cursor, the current rule):
 * that line kept in the middle of what is shown, never past either end, then moved by the
 * user's `scroll`. Signs of more above and below take a row each, as in scrollWindow.
 */
export function followWindow(
  total: number,
  rows: number,
  follow: number | undefined,
  scroll: number,
): ScrollWindow {
  const bounds = followBounds(total, rows, follow);
  const at = followBase(total, rows, follow) + Math.max(bounds.min, Math.min(scroll, bounds.max));
  // Too few rows for a sign and a line: the lines alone.
  if (rows < 3) return { start: at, end: Math.min(total, at + rows), above: false, below: false };
  return scrollWindow(total, rows, at);
}

/** How far the user scrolls a following window up (min, ≤ 0) and down (max, ≥ 0). */
export function followBounds(total: number, rows: number, follow: number | undefined) {
  const base = followBase(total, rows, follow);
  const last = rows < 3 ? Math.max(0, total - rows) : maxScroll(total, rows);
  return { min: base === 0 ? 0 : -base, max: last - base };
}

/** Where the window starts unscrolled: the followed line in the middle of the lines shown. */
function followBase(total: number, rows: number, follow: number | undefined): number {
  const signs = rows < 3 ? 0 : 2;
  const centred = follow === undefined ? 0 : follow - Math.floor((rows - signs) / 2);
  const last = rows < 3 ? Math.max(0, total - rows) : maxScroll(total, rows);
  return Math.max(0, Math.min(centred, last));
}

/** The sign over or under a window, with how many `things` it hides there. */
export function moreText(hidden: number, where: 'above' | 'below', things: string): string {
  return `${where === 'above' ? '↑' : '↓'} ${hidden} more ${things}`;
}
