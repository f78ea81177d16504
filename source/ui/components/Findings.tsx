/**
 * The findings view: what `nfdb run` opens with (each connection's outcome, the loop verdict,
 * what was not simulated, the lessons) and the load warnings, over the body like the help. An
 * overlay rather than a pane: the findings are sentences that want the screen's whole width,
 * and at 80x24 a pane beside the chain would wrap each into a column of words.
 */
import { Text } from 'ink';
import { type Command, type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';
import { type FindingsEntry, type FindingsLayout, findingsLayout } from '../view/findings-lines.js';
import { MORE_ABOVE, MORE_BELOW, maxScroll, scrollWindow } from '../view/scroll-window.js';
import { OverlayBox } from './OverlayBox.js';

export interface FindingsProps {
  readonly keymap: Keymap;
  readonly entries: readonly FindingsEntry[];
  readonly height: number;
  readonly width: number;
  /** Rows scrolled down by (clamped). */
  readonly scroll: number;
  /** The selected finding, an index into those with a step. */
  readonly selected: number;
}

/** The findings laid out in a box `width` by `height`, and the rows they have there. */
export function findingsBox(
  entries: readonly FindingsEntry[],
  height: number,
  width: number,
): FindingsLayout & { readonly fit: number; readonly max: number } {
  // Border and padding take 4 columns and 2 rows, the title one more row.
  const fit = Math.max(1, height - 3);
  const laid = findingsLayout(entries, Math.max(8, width - 4));
  return { ...laid, fit, max: maxScroll(laid.rows.length, fit) };
}

export function Findings({ keymap, entries, height, width, scroll, selected }: FindingsProps) {
  const { rows, fit } = findingsBox(entries, height, width);
  const shown = scrollWindow(rows.length, fit, scroll);
  const key = (command: Command) => keysOf(keymap, command, 'findings').map(keyLabel)[0];
  return (
    <OverlayBox
      width={width}
      title={
        <>
          Findings · {key('findings.next')}/{key('findings.prev')} select · {key('findings.jump')}{' '}
          goes to its step · {key('findings.toggle')} or {key('findings.close')} closes
        </>
      }
    >
      {shown.above && (
        <Text {...theme.muted}>
          {MORE_ABOVE} ({key('findings.prev')} scrolls up)
        </Text>
      )}
      {rows.slice(shown.start, shown.end).map((row, i) => {
        const on = row.target !== undefined && row.target === selected;
        const first = on && (rows[shown.start + i - 1]?.target !== row.target || i === 0);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows repeat, so the index is the key
          <Text key={i} wrap="truncate-end" {...(on ? theme.current : {})}>
            {first ? '▶ ' : '  '}
            {row.text}
          </Text>
        );
      })}
      {shown.below && (
        <Text {...theme.muted}>
          {MORE_BELOW} ({key('findings.next')} scrolls down)
        </Text>
      )}
    </OverlayBox>
  );
}
