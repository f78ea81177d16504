/** The packet as it is now, what this step changed, and its conntrack entry; scrolls when focused. */
import { Text } from 'ink';
import { theme } from '../theme.js';
import { fitPacketLines, packetLines } from '../view/packet-lines.js';
import type { PacketView } from '../view/packet-view.js';
import { MORE_ABOVE, MORE_BELOW, maxScroll, scrollWindow } from '../view/scroll-window.js';
import { Pane } from './Pane.js';

export interface PacketPanelProps {
  readonly view?: PacketView;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
  /** Lines scrolled down by (clamped); the panel opens at its title. */
  readonly scroll?: number;
}

/** The panel's lines at `width` columns, inside its border. */
const linesAt = (view: PacketView | undefined, width: number) =>
  view ? fitPacketLines(packetLines(view), width - 2) : [];
/** Rows inside the border. */
const rowsIn = (height: number) => Math.max(1, height - 2);

/** How far the panel scrolls at `height` by `width`. */
export function packetScrollMax(view: PacketView | undefined, height: number, width: number) {
  return maxScroll(linesAt(view, width).length, rowsIn(height));
}

export function PacketPanel({ view, height, width, focused, scroll = 0 }: PacketPanelProps) {
  const all = linesAt(view, width);
  const shown = scrollWindow(all.length, rowsIn(height), scroll);
  const lines = all.slice(shown.start, shown.end);
  return (
    <Pane focused={focused} height={height} width={width}>
      {shown.above && <Text {...theme.muted}>{MORE_ABOVE}</Text>}
      {view ? (
        lines.map((l, i) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: a line's text may repeat; its row is what it is
            key={`${i}-${l.text}`}
            bold={l.bold}
            {...(l.tone ? theme[l.tone] : undefined)}
            wrap="truncate-end"
          >
            {l.text}
          </Text>
        ))
      ) : (
        <Text {...theme.muted}>no packet</Text>
      )}
      {shown.below && <Text {...theme.muted}>{MORE_BELOW}</Text>}
    </Pane>
  );
}
