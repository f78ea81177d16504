/**
 * Rules switched off in the what-if (x), shown in their chain where they were, greyed and
 * marked `off` in place of their counters, so the chain reads as the user left it, colour or
 * not. A switched-off rule is not in the ruleset (the kernel has no such thing), so its rows are
 * slotted between the live ones: the live rules keep their order, and only a handful of rows
 * are ever off, so a 50,000-rule chain costs no more to show.
 */
import type { Rule } from '../../model/index.js';
import type { ChainRow, ChainView } from './chain-view.js';

/** A switched-off rule of the chain shown, and where it was (1-based, as the edit says). */
export interface OffRule {
  readonly rule: Rule;
  readonly index: number;
}

export interface OffRows {
  /** Rows in all, live and off. */
  readonly count: number;
  /** The view's row of live rule `live`. */
  readonly rowOf: (live: number) => number;
  /** What view row `row` is: an off rule, or live rule number `live`. */
  readonly at: (row: number) => { readonly off: OffRule } | { readonly live: number };
}

/** Where the off rules go among `live` live rules: each at its place, in order, none shared. */
export function offRows(live: number, off: readonly OffRule[]): OffRows {
  const sorted = [...off].sort((a, b) => a.index - b.index);
  const slots: number[] = [];
  sorted.forEach((o, j) => {
    const wanted = Math.min(o.index - 1, live + j);
    slots.push(Math.max(wanted, (slots[j - 1] ?? -1) + 1));
  });
  return {
    count: live + sorted.length,
    rowOf: (n) => {
      let row = n;
      for (const s of slots) if (s <= row) row++;
      return row;
    },
    at: (row) => {
      const j = slots.indexOf(row);
      const o = sorted[j];
      if (o) return { off: o };
      return { live: row - slots.filter((s) => s < row).length };
    },
  };
}

/**
 * The view with the off rules among its rows. `offRow` draws one (as the live rows are drawn,
 * its counters replaced by `off`).
 */
export function withOffRows(
  view: ChainView,
  off: readonly OffRule[],
  offRow: (o: OffRule, row: number) => ChainRow,
): ChainView {
  if (off.length === 0) return view;
  const rows = offRows(view.rowCount, off);
  const moved = (n: number | undefined) => (n === undefined ? undefined : rows.rowOf(n));
  return {
    ...view,
    rowCount: rows.count,
    rowAt: (row) => {
      const what = rows.at(row);
      if ('off' in what) return offRow(what.off, row);
      const live = view.rowAt(what.live);
      return live && { ...live, index: row };
    },
    currentRow: moved(view.currentRow),
    ...(view.selectedRow !== undefined && { selectedRow: moved(view.selectedRow) }),
  };
}
