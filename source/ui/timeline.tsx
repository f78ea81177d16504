/** Every step, one line each, scrolling with the cursor. */
import { Box, Text } from 'ink';
import type { Trace } from '../model/index.js';
import { windowStart } from './chain-pane.js';
import { timelineLine } from './view-model.js';

export interface TimelineProps {
  readonly trace: Trace;
  readonly cursor: number;
  readonly height: number;
  readonly scroll: number;
  readonly focused: boolean;
}

export function Timeline({ trace, cursor, height, scroll, focused }: TimelineProps) {
  const inner = Math.max(1, height - 2);
  const start = windowStart(trace.steps.length, inner, cursor, scroll);
  const steps = trace.steps.slice(start, start + inner);
  return (
    <Box
      borderStyle="round"
      borderColor={focused ? 'cyan' : 'gray'}
      height={height}
      flexDirection="column"
    >
      {steps.map((s) => (
        <Text key={s.index} wrap="truncate-end" inverse={s.index === cursor}>
          {timelineLine(s)}
        </Text>
      ))}
    </Box>
  );
}
