/** The help overlay: every command of the keymap, from the same table the key handling uses. */
import { Text } from 'ink';
import { type Command, type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';
import { helpLines, KEYS_WIDTH } from '../view/help-lines.js';
import { MORE_ABOVE, MORE_BELOW, maxScroll, scrollWindow } from '../view/scroll-window.js';
import { OverlayBox } from './OverlayBox.js';

export interface HelpProps {
  readonly keymap: Keymap;
  readonly height?: number;
  readonly width?: number;
  /** Lines scrolled down by (clamped): a help taller than the screen is read by scrolling. */
  readonly scroll?: number;
}

/** The help's lines in a box `width` by `height`, and the rows they have (inside border and title). */
function laidOut(keymap: Keymap, height: number, width: number) {
  // Border and padding take 4 columns and 2 rows, the title one more row.
  const fit = Math.max(1, height - 3);
  return { fit, lines: helpLines(keymap, Math.max(KEYS_WIDTH + 2, width - 4), fit) };
}

/** How far the help scrolls in a box `width` by `height`. */
export function helpScrollMax(keymap: Keymap, height: number, width: number): number {
  const { fit, lines } = laidOut(keymap, height, width);
  return maxScroll(lines.length, fit);
}

export function Help({ keymap, height = 40, width = 100, scroll = 0 }: HelpProps) {
  const { fit, lines } = laidOut(keymap, height, width);
  const shown = scrollWindow(lines.length, fit, scroll);
  const key = (command: Command) => keysOf(keymap, command, 'help').map(keyLabel)[0];
  return (
    <OverlayBox
      width={width}
      title={
        <>
          nfdb keys ({key('help.toggle')} or {key('help.close')} closes)
        </>
      }
    >
      {shown.above && (
        <Text {...theme.muted}>
          {MORE_ABOVE} ({key('help.up')} scrolls up)
        </Text>
      )}
      {lines.slice(shown.start, shown.end).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines repeat (blank continuation rows), so the index is the key
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {shown.below && (
        <Text {...theme.muted}>
          {MORE_BELOW} ({key('help.down')} scrolls down)
        </Text>
      )}
    </OverlayBox>
  );
}
