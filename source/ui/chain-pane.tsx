/**
 * A chain as `iptables -L -v` shows it, at the cursor: the rule being evaluated highlighted,
 * rules this packet matched marked, counters that just moved in yellow. Only the rows that fit
 * are rendered, so a 50,000-rule chain costs what a 10-rule one does.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ChainRow, ChainView } from './view-model.js';

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

export function windowStart(
  total: number,
  height: number,
  follow: number | undefined,
  scroll: number,
): number {
  const centred = follow === undefined ? 0 : follow - Math.floor(height / 2);
  return Math.max(0, Math.min(centred + scroll, Math.max(0, total - height)));
}

function Pane(props: { border: string; height: number; width: number; children: ReactNode }) {
  const { border, height, width, children } = props;
  return (
    <Box
      borderStyle="round"
      borderColor={border}
      height={height}
      width={width}
      flexDirection="column"
    >
      {children}
    </Box>
  );
}

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

export function ChainPane(props: ChainPaneProps) {
  const { view, stack, height, width, scroll, focused } = props;
  const border = focused ? 'cyan' : 'gray';
  const inner = Math.max(1, height - 5);
  if (!view) {
    return (
      <Pane border={border} height={height} width={width}>
        <Text dimColor>No chain at this step: the packet is outside netfilter's tables here.</Text>
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
    <Pane border={border} height={height} width={width}>
      <Text wrap="truncate-end" color="cyan">
        {view.host} · {stack || `${view.table} ${view.chain}`}
      </Text>
      <Text wrap="truncate-end" bold color={view.policyMoved ? 'yellow' : undefined}>
        {view.header}
      </Text>
      <Text wrap="truncate-end" dimColor>
        {'  '}
        {shiftedText(view.columns, view.columnsPinnedAt, shift)}
      </Text>
      {visible.map((row) => (
        <Text
          key={row.index}
          wrap="truncate-end"
          inverse={row.current}
          color={row.moved ? 'yellow' : row.matched ? 'green' : undefined}
        >
          {row.current ? '▶ ' : row.matched ? '✓ ' : '  '}
          {shiftedText(row.text, row.pinnedAt, shift)}
        </Text>
      ))}
      {view.rowCount === 0 ? <Text dimColor>(no rules: the policy decides)</Text> : null}
    </Pane>
  );
}
