/** The packet as it is now, what this step changed, and its conntrack entry. */
import { Text } from 'ink';
import { theme } from '../theme.js';
import { fitPacketLines, packetLines } from '../view/packet-lines.js';
import type { PacketView } from '../view/packet-view.js';
import { Pane } from './Pane.js';

export interface PacketPanelProps {
  readonly view?: PacketView;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
}

export function PacketPanel({ view, height, width, focused }: PacketPanelProps) {
  // What does not fit is cut at the bottom, so the title and the 5-tuple always show.
  const lines = view
    ? fitPacketLines(packetLines(view), width - 2).slice(0, Math.max(1, height - 2))
    : [];
  return (
    <Pane focused={focused} height={height} width={width}>
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
    </Pane>
  );
}
