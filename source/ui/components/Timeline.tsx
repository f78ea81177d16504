/** Every step, one line each, scrolling with the cursor. */
import { Text } from 'ink';
import type { Trace } from '../../model/index.js';
import { theme } from '../theme.js';
import { followBounds, followWindow, moreText } from '../view/follow-window.js';
import { timelineLine } from '../view/timeline-line.js';
import { Pane } from './Pane.js';

export interface TimelineProps {
  readonly trace: Trace;
  readonly cursor: number;
  readonly height: number;
  readonly scroll: number;
  readonly focused: boolean;
}

/** Rows for steps inside the border. */
const rowsIn = (height: number) => Math.max(1, height - 2);

/** How far the timeline scrolls up and down from where it follows the cursor. */
export function timelineScrollBounds(trace: Trace, cursor: number, height: number) {
  return followBounds(trace.steps.length, rowsIn(height), cursor);
}

export function Timeline({ trace, cursor, height, scroll, focused }: TimelineProps) {
  const total = trace.steps.length;
  const shown = followWindow(total, rowsIn(height), cursor, scroll);
  const steps = trace.steps.slice(shown.start, shown.end);
  return (
    <Pane focused={focused} height={height}>
      {shown.above && <Text {...theme.muted}>{moreText(shown.start, 'above', 'steps')}</Text>}
      {steps.map((s) => (
        <Text
          key={s.index}
          wrap="truncate-end"
          {...(s.index === cursor ? theme.current : undefined)}
        >
          {timelineLine(s)}
        </Text>
      ))}
      {shown.below && <Text {...theme.muted}>{moreText(total - shown.end, 'below', 'steps')}</Text>}
    </Pane>
  );
}
