/**
 * A view of lines over the body, read by scrolling: the what-if's edits and its comparison with
 * the original run. Long lines wrap under their own indent, so a rule's text reads whole.
 */
import { Text } from 'ink';
import { type Style, theme } from '../theme.js';
import { wrapWords } from '../view/help-lines.js';
import { MORE_ABOVE, MORE_BELOW, maxScroll, scrollWindow } from '../view/scroll-window.js';
import { OverlayBox } from './OverlayBox.js';

export interface ListViewProps {
  readonly title: string;
  readonly lines: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly scroll: number;
  /** How a row stands out; by default a diff's removed and added lines do. */
  readonly tone?: (row: string) => Style;
}

/** Each line in rows of at most `width`, continuation rows indented two more than the line. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((line) => {
    if (line.length <= width) return [line];
    const indent = line.length - line.trimStart().length;
    const pad = ' '.repeat(indent);
    const rows = wrapWords(line.trimStart(), Math.max(8, width - indent - 2));
    return rows.map((r, i) => `${pad}${i === 0 ? '' : '  '}${r}`);
  });
}

/** Rows inside the border and title, and the lines laid out in them. */
function laidOut(lines: readonly string[], height: number, width: number) {
  return { fit: Math.max(1, height - 3), rows: wrapLines(lines, Math.max(10, width - 4)) };
}

export function listScrollMax(lines: readonly string[], height: number, width: number): number {
  const { fit, rows } = laidOut(lines, height, width);
  return maxScroll(rows.length, fit);
}

export function ListView({ title, lines, height, width, scroll, tone = rowTone }: ListViewProps) {
  const { fit, rows } = laidOut(lines, height, width);
  const shown = scrollWindow(rows.length, fit, scroll);
  return (
    <OverlayBox width={width} title={title}>
      {shown.above && <Text {...theme.muted}>{MORE_ABOVE} (k scrolls up)</Text>}
      {rows.slice(shown.start, shown.end).map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows repeat (blank lines), so the index is the key
        <Text key={i} wrap="truncate-end" {...tone(row)}>
          {row}
        </Text>
      ))}
      {shown.below && <Text {...theme.muted}>{MORE_BELOW} (j scrolls down)</Text>}
    </OverlayBox>
  );
}

/** Removed lines and added lines of a diff stand apart. */
function rowTone(row: string): Style {
  if (/^\s*- /.test(row)) return theme.removed;
  if (/^\s*\+ /.test(row)) return theme.added;
  return {};
}
