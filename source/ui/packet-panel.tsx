/** The packet as it is now, what this step changed, and its conntrack entry. */
import { Box, Text } from 'ink';
import type { PacketView } from './view-model.js';

export interface PacketPanelProps {
  readonly view?: PacketView;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
}

/** A flow line may break after its arrow; any other line is cut at the edge. */
type Line = {
  readonly text: string;
  readonly bold?: boolean;
  readonly color?: string;
  readonly flow?: boolean;
};

/** Most telling first, since a short panel cuts at the bottom: where it goes, what changed. */
function linesOf(view: PacketView): Line[] {
  return [
    { text: view.title, bold: true },
    { text: view.connection },
    ...view.flow.map((text) => ({ text, flow: true })),
    view.changes.length > 0
      ? { text: `changed: ${view.changes.join(', ')}`, color: 'magenta', flow: true }
      : { text: 'unchanged by this step', color: 'magenta' },
    ...view.details.map((text) => ({ text })),
    { text: 'conntrack', bold: true },
    ...view.conntrack.map((text) => ({ text, flow: text.includes(' → ') })),
  ];
}

/** Flows that do not fit break after their arrow, so both ends stay readable at 80 columns. */
function fitted(lines: readonly Line[], inner: number): Line[] {
  return lines.flatMap((l) => {
    const arrow = l.text.indexOf(' → ');
    if (!l.flow || l.text.length <= inner || arrow < 0) return [l];
    return [
      { ...l, text: l.text.slice(0, arrow + 2) },
      { ...l, text: `  ${l.text.slice(arrow + 3)}` },
    ];
  });
}

export function PacketPanel({ view, height, width, focused }: PacketPanelProps) {
  // What does not fit is cut at the bottom, so the title and the 5-tuple always show.
  const lines = view ? fitted(linesOf(view), width - 2).slice(0, Math.max(1, height - 2)) : [];
  return (
    <Box
      borderStyle="round"
      borderColor={focused ? 'cyan' : 'gray'}
      height={height}
      width={width}
      flexDirection="column"
    >
      {view ? (
        lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a line's text may repeat; its row is what it is
          <Text key={`${i}-${l.text}`} bold={l.bold} color={l.color} wrap="truncate-end">
            {l.text}
          </Text>
        ))
      ) : (
        <Text dimColor>no packet</Text>
      )}
    </Box>
  );
}
