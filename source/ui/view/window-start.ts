/**
 * The first row of a `height`-row window on `total` rows: centred on the row it follows (the
 * cursor), moved by the user's scroll, and never past either end.
 */
export function windowStart(
  total: number,
  height: number,
  follow: number | undefined,
  scroll: number,
): number {
  const centred = follow === undefined ? 0 : follow - Math.floor(height / 2);
  return Math.max(0, Math.min(centred + scroll, Math.max(0, total - height)));
}
