/** Every step, one line each, scrolling with the cursor. */
import { Text } from 'ink';
import type { Trace } from '../../model/index.js';
import { theme } from '../theme.js';
import { timelineLine } from '../view/timeline-line.js';
import { windowStart } from '../view/window-start.js';
import { Pane } from './Pane.js';

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
    <Pane focused={focused} height={height}>
      {steps.map((s) => (
        <Text
          key={s.index}
          wrap="truncate-end"
          {...(s.index === cursor ? theme.current : undefined)}
        >
          {timelineLine(s)}
        </Text>
      ))}
    </Pane>
  );
}
