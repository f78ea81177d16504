/** The packet as it is now, what this step changed, and its conntrack entry. */
import { Box, Text } from 'ink';
import type { PacketView } from './view-model.js';

export interface PacketPanelProps {
  readonly view?: PacketView;
  readonly height: number;
  readonly width: number;
  readonly focused: boolean;
}

type Line = { readonly text: string; readonly bold?: boolean; readonly color?: string };

function linesOf(view: PacketView): Line[] {
  return [
    { text: view.title, bold: true },
    ...view.lines.map((text) => ({ text })),
    {
      text:
        view.changes.length > 0 ? `changed: ${view.changes.join(', ')}` : 'unchanged by this step',
      color: 'magenta',
    },
    { text: 'conntrack', bold: true },
    ...view.conntrack.map((text) => ({ text })),
  ];
}

export function PacketPanel({ view, height, width, focused }: PacketPanelProps) {
  // What does not fit is cut at the bottom, so the title and the 5-tuple always show.
  const lines = view ? linesOf(view).slice(0, Math.max(1, height - 2)) : [];
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
