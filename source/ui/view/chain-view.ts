/**
 * The chain the screen shows at a cursor, with counters as they stand at that step: derived from
 * the Trace and the World alone, so the chain pane only lays it out.
 */

import {
  addCounters,
  type Counters,
  type Scenario,
  type Step,
  type TableName,
  type Trace,
} from '../../model/index.js';
import { header } from '../../rules/listing.js';
import { counterKey } from '../../trace/counters.js';
import { chainAt, focusAt } from './chain-at.js';
import { columnWidths, compactColumns, compactRow } from './chain-columns.js';
import { referencesTo } from './chain-references.js';
import type { CounterCache } from './counter-cache.js';
import { matchedSoFar } from './matched-steps.js';
import { nftChainView } from './nft-chain-view.js';
import { type OffRule, withOffRows } from './off-rows.js';

/** A rule switched off, as the what-if's history has it (switchedOff in rules/edits). */
export interface SwitchedOff {
  readonly host: string;
  readonly edit: {
    readonly family: string;
    readonly table: string;
    readonly chain: string;
    readonly index: number;
    readonly rule: OffRule['rule'];
  };
}

export interface ChainRow {
  readonly index: number;
  readonly text: string;
  /**
   * Where in `text` the columns after the target start. Counters and target stay put; the rest,
   * up to the long match text, is what < and > scroll sideways.
   */
  readonly pinnedAt: number;
  /** The rule under evaluation at the cursor. */
  readonly current: boolean;
  /** Selected with . and , for the what-if keys, when it is not the current rule. */
  readonly selected?: boolean;
  /** Matched by this packet at or before the cursor. */
  readonly matched: boolean;
  /** Its counters moved at exactly this step. */
  readonly moved: boolean;
  /** Switched off in the what-if (x): not in the ruleset, shown where it was. */
  readonly off?: boolean;
  /** Passed over without a match by the span of rules at the cursor. */
  readonly passed?: boolean;
}

export interface ChainView {
  readonly host: string;
  /** `nat`, or an nft table with its family (`inet istio-proxy-nat`). */
  readonly table: TableName | string;
  readonly chain: string;
  readonly header: string;
  readonly columns: string;
  /** Like ChainRow.pinnedAt, for the columns line, so it scrolls in step with the rows. */
  readonly columnsPinnedAt: number;
  readonly rowCount: number;
  readonly rowAt: (index: number) => ChainRow | undefined;
  readonly policyMoved: boolean;
  readonly currentRow?: number;
  /** The row the what-if keys act on, when one is selected apart from the current rule. */
  readonly selectedRow?: number;
  /** Browsing the host's chains with { }: which of how many this is (from 0). */
  readonly browsing?: { readonly index: number; readonly count: number };
}

/** The rows a span at the cursor passed over, when it is in this chain. */
function passedRows(step: Step, host: string, table: string, chain: string) {
  if (step.kind !== 'span' || step.host !== host || step.table.name !== table) return undefined;
  if (step.chain !== chain) return undefined;
  return { from: step.ruleIndex, to: step.ruleIndex + step.passed.length - 1 };
}

export function chainView(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  counters: CounterCache,
  frame?: number,
  browse?: number,
  selected?: number,
  switchedOff: readonly SwitchedOff[] = [],
): ChainView | undefined {
  const step = trace.steps[cursor];
  const at = chainAt(scenario, trace, cursor, frame, browse);
  if (!step) return undefined;
  if (!at) {
    // Not an iptables chain: an nft one, or none.
    const { focus, browsed, browsedIndex, chains } = focusAt(
      scenario,
      trace,
      cursor,
      frame,
      browse,
    );
    const browsing = browsed && { index: browsedIndex, count: chains.length };
    return focus && nftChainView(scenario, trace, cursor, counters, focus, step, browsing);
  }
  const { ruleset, table, chain, currentRow } = at;
  const selectedRow =
    selected === undefined ? undefined : Math.min(selected, chain.rules.length - 1);
  const deltas = counters.at(cursor);
  const key = { host: at.host, family: ruleset.family, table: table.name, chain: chain.name };
  const withCounters = (id: string, base: Counters) => {
    const d = deltas.get(counterKey({ ...key, rule: id }));
    return d ? addCounters(base, d) : base;
  };
  const matchedHere = matchedSoFar(trace, cursor, at.host);
  const movedNow = new Set(step.counters.map((c) => counterKey(c)));
  const passed = passedRows(step, at.host, table.name, chain.name);
  const off: OffRule[] = switchedOff
    .filter(({ host, edit: e }) => host === at.host && e.family === ruleset.family)
    .filter(({ edit: e }) => e.table === table.name && e.chain === chain.name)
    .map(({ edit: e }) => ({ rule: e.rule, index: e.index }));
  const widths = columnWidths(
    off.length === 0 ? chain : { ...chain, rules: [...chain.rules, ...off.map((o) => o.rule)] },
  );
  const columns = compactColumns(widths);
  // Rows are built on demand: a pane asks only for the ones it shows.
  const rowAt = (index: number): ChainRow | undefined => {
    const rule = chain.rules[index];
    if (!rule) return undefined;
    const { pinned, rest } = compactRow(
      { ...rule, counters: withCounters(rule.id, rule.counters) },
      widths,
    );
    return {
      index,
      text: pinned + rest,
      pinnedAt: pinned.length,
      current: currentRow === index,
      ...(selectedRow === index && currentRow !== index ? { selected: true } : {}),
      matched: matchedHere.has(rule.id),
      ...(passed && index >= passed.from && index <= passed.to ? { passed: true } : {}),
      moved: movedNow.has(counterKey({ ...key, rule: rule.id })),
    };
  };
  const policy = withCounters('policy', chain.counters);
  const view: ChainView = {
    host: at.host,
    table: table.name,
    chain: chain.name,
    header: chain.builtin
      ? header(table, { ...chain, counters: policy }, false)
      : `Chain ${chain.name} (${referencesTo(table, chain.name)} references)`,
    columns: columns.pinned + columns.rest,
    columnsPinnedAt: columns.pinned.length,
    rowCount: chain.rules.length,
    rowAt,
    policyMoved: movedNow.has(counterKey({ ...key, rule: 'policy' })),
    currentRow,
    ...(selectedRow !== undefined && selectedRow >= 0 ? { selectedRow } : {}),
    ...(at.browsing && { browsing: at.browsing }),
  };
  return withOffRows(view, off, (o, index) => {
    const { pinned, rest } = compactRow(o.rule, widths);
    // Its counters are the kernel's no more: `off` in their place reads without colour.
    const counters = pinned.length - (o.rule.target?.name ?? '').padEnd(widths.target).length - 1;
    const marked = `${'off'.padStart(5).padEnd(counters)}${pinned.slice(counters)}`;
    const row = { index, text: marked + rest, pinnedAt: pinned.length };
    return { ...row, current: false, matched: false, moved: false, off: true };
  });
}
