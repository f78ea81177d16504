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

export function ChainPane({ view, stack, height, width, scroll, focused }: ChainPaneProps) {
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
        {view.columns}
      </Text>
      {visible.map((row) => (
        <Text
          key={row.index}
          wrap="truncate-end"
          inverse={row.current}
          color={row.moved ? 'yellow' : row.matched ? 'green' : undefined}
        >
          {row.current ? '▶ ' : row.matched ? '✓ ' : '  '}
          {row.text}
        </Text>
      ))}
      {view.rowCount === 0 ? <Text dimColor>(no rules: the policy decides)</Text> : null}
    </Pane>
  );
}
