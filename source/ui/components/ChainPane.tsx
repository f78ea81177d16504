/**
 * A chain as `iptables -L -v` shows it, at the cursor: the rule being evaluated highlighted,
 * rules this packet matched marked, counters that just moved stand out. Only the rows that fit
 * are rendered, so a 50,000-rule chain costs what a 10-rule one does.
 */
import { Text } from 'ink';
import { theme } from '../theme.js';
import type { ChainRow, ChainView } from '../view/chain-view.js';
import { shiftedText, usableShift } from '../view/shifted-text.js';
import { windowStart } from '../view/window-start.js';
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
}

function rowStyle(row: ChainRow) {
  const tone = row.moved ? theme.changedCounter : row.matched ? theme.matched : undefined;
  return { ...(row.current ? theme.current : undefined), ...tone };
}

export function ChainPane(props: ChainPaneProps) {
  const { view, stack, height, width, scroll, focused } = props;
  const inner = Math.max(1, height - 5);
  if (!view) {
    return (
      <Pane focused={focused} height={height} width={width}>
        <Text {...theme.muted}>
          No chain at this step: the packet is outside netfilter's tables here.
        </Text>
      </Pane>
    );
  }
  const start = windowStart(view.rowCount, inner, view.currentRow, scroll);
  const visible: ChainRow[] = [];
  for (let i = start; i < Math.min(view.rowCount, start + inner); i++) {
    const row = view.rowAt(i);
    if (row) visible.push(row);
  }
  const shift = usableShift(visible, width, props.shift ?? 0);
  return (
    <Pane focused={focused} height={height} width={width}>
      <Text wrap="truncate-end" {...theme.heading}>
        {view.host} · {stack || `${view.table} ${view.chain}`}
      </Text>
      <Text wrap="truncate-end" bold {...(view.policyMoved ? theme.changedCounter : undefined)}>
        {view.header}
      </Text>
      <Text wrap="truncate-end" {...theme.muted}>
        {'  '}
        {shiftedText(view.columns, view.columnsPinnedAt, shift)}
      </Text>
      {visible.map((row) => (
        <Text key={row.index} wrap="truncate-end" {...rowStyle(row)}>
          {row.current ? '▶ ' : row.matched ? '✓ ' : '  '}
          {shiftedText(row.text, row.pinnedAt, shift)}
        </Text>
      ))}
      {view.rowCount === 0 ? <Text {...theme.muted}>(no rules: the policy decides)</Text> : null}
    </Pane>
  );
}
