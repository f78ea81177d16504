/**
 * A chain as `iptables -L -v` shows it, at the cursor: the rule being evaluated highlighted,
 * rules this packet matched marked, counters that just moved stand out. Only the rows that fit
 * are rendered, so a 50,000-rule chain costs what a 10-rule one does.
 */
import { Text } from 'ink';
import { theme } from '../theme.js';
import type { ChainRow, ChainView } from '../view/chain-view.js';
import { followBounds, followWindow, moreText } from '../view/follow-window.js';
import { shiftedText, usableShift } from '../view/shifted-text.js';
import { Pane } from './Pane.js';

export interface ChainPaneProps {
  readonly view?: ChainView;
  readonly stack: string;
  readonly height: number;
  readonly width: number;
  readonly scroll: number;
  /** Columns the rule text is scrolled left by (< and >), so a long match can be read whole. */
  readonly shift?: number;
  readonly focused: boolean;
  /** Rules of this chain switched off in the what-if (x), which X puts back. */
  readonly switchedOff?: number;
}

/** Rows for rules inside the border, the title, the chain's header and the column names. */
const rowsIn = (height: number) => Math.max(1, height - 5);

/** How far the rules scroll up and down from where they follow the current rule. */
export function chainScrollBounds(view: ChainView | undefined, height: number) {
  return view
    ? followBounds(view.rowCount, rowsIn(height), view.selectedRow ?? view.currentRow)
    : { min: 0, max: 0 };
}

/**
 * Where the chain is: the step's stack, or while browsing with { } which of the host's chains
 * this is, since the step's stack is then not where the chain shown is.
 */
function heading(view: ChainView, stack: string): string {
  const chain = `${view.table} ${view.chain}`;
  if (view.browsing)
    return `browsing chain ${view.browsing.index + 1}/${view.browsing.count} · ${view.host} · ${chain}`;
  return `${view.host} · ${stack || chain}`;
}

function rowStyle(row: ChainRow) {
  if (row.off) return theme.muted;
  const tone = row.moved ? theme.changedCounter : row.matched ? theme.matched : undefined;
  const on = row.current ? theme.current : row.selected ? theme.selected : undefined;
  return { ...on, ...tone };
}

export function ChainPane(props: ChainPaneProps) {
  const { view, stack, height, width, scroll, focused } = props;
  if (!view) {
    return (
      <Pane focused={focused} height={height} width={width}>
        <Text {...theme.muted}>
          No chain at this step: the packet is outside netfilter's tables here.
        </Text>
        {(props.shift ?? 0) > 0 && (
          <Text {...theme.muted}>
            {`Rules stay shifted ${props.shift} columns for the next chain (< shifts back).`}
          </Text>
        )}
      </Pane>
    );
  }
  const shown = followWindow(
    view.rowCount,
    rowsIn(height),
    view.selectedRow ?? view.currentRow,
    scroll,
  );
  const visible: ChainRow[] = [];
  for (let i = shown.start; i < shown.end; i++) {
    const row = view.rowAt(i);
    if (row) visible.push(row);
  }
  const shift = usableShift(visible, width, props.shift ?? 0);
  return (
    <Pane focused={focused} height={height} width={width}>
      <Text wrap="truncate-end" {...theme.heading}>
        {shift > 0 ? `[shifted ${shift}] ` : ''}
        {heading(view, stack)}
        {props.switchedOff ? ` · ${props.switchedOff} off (X)` : ''}
      </Text>
      <Text wrap="truncate-end" bold {...(view.policyMoved ? theme.changedCounter : undefined)}>
        {view.header}
      </Text>
      <Text wrap="truncate-end" {...theme.muted}>
        {'  '}
        {shiftedText(view.columns, view.columnsPinnedAt, shift)}
      </Text>
      {shown.above && <Text {...theme.muted}>{moreText(shown.start, 'above', 'rules')}</Text>}
      {visible.map((row) => (
        <Text key={row.index} wrap="truncate-end" {...rowStyle(row)}>
          {row.current ? '▶ ' : row.selected ? '▷ ' : row.passed ? '· ' : row.matched ? '✓ ' : '  '}
          {shiftedText(row.text, row.pinnedAt, shift)}
        </Text>
      ))}
      {shown.below && (
        <Text {...theme.muted}>{moreText(view.rowCount - shown.end, 'below', 'rules')}</Text>
      )}
      {view.rowCount === 0 ? <Text {...theme.muted}>(no rules: the policy decides)</Text> : null}
    </Pane>
  );
}
