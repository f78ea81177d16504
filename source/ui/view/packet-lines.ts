import type { Token } from '../theme.js';
import { wrapWords } from './help-lines.js';
import type { PacketView } from './packet-view.js';

/**
 * A line of the packet panel. A flow may break after its arrow; any other line wraps at its
 * spaces (the panel scrolls), or is cut if one word is wider than the panel.
 */
export interface PacketLine {
  readonly text: string;
  readonly bold?: boolean;
  readonly tone?: Token;
  readonly flow?: boolean;
}

/** Most telling first, since a short panel cuts at the bottom: where it goes, what changed. */
export function packetLines(view: PacketView): PacketLine[] {
  const ct = view.conntrack;
  return [
    { text: view.title, bold: true },
    { text: view.connection },
    ...view.flow.map((text) => ({ text, flow: true })),
    view.changes.length > 0
      ? { text: `changed: ${view.changes.join(', ')}`, tone: 'changedPacket', flow: true }
      : { text: 'unchanged by this step', tone: 'changedPacket' },
    ...view.sets.map((text) => ({ text })),
    ...view.details.map((text) => ({ text })),
    { text: 'conntrack', bold: true },
    ...(ct
      ? [
          { text: ct.entry },
          { text: ct.original, flow: true },
          { text: ct.reply, flow: true },
          ...(ct.status ? [{ text: ct.status }] : []),
        ]
      : [{ text: 'no conntrack entry' }]),
  ];
}

/** The arrow between a flow's two ends (changes.ts writes flows and changes with it). */
const ARROW = ' → ';

/**
 * Flows that do not fit break after their arrow, so both ends stay readable at 80 columns.
 * Which lines are flows comes from the view; the arrow is only where the line is cut, as a
 * space is for words.
 */
export function fitPacketLines(lines: readonly PacketLine[], inner: number): PacketLine[] {
  return lines.flatMap((l) => {
    const arrow = l.flow ? l.text.indexOf(ARROW) : -1;
    if (l.text.length <= inner) return [l];
    if (arrow < 0) return wrapped(l, inner);
    return [
      { ...l, text: l.text.slice(0, arrow + 2) },
      { ...l, text: `  ${l.text.slice(arrow + ARROW.length)}` },
    ];
  });
}

/** A line that is not a flow, in lines of `inner` columns broken at spaces, indented after the first. */
function wrapped(l: PacketLine, inner: number): PacketLine[] {
  const width = inner - INDENT.length;
  if (width < 1 || l.text.split(' ').some((w) => w.length > width)) return [l];
  return wrapWords(l.text, width).map((text, i) => ({
    ...l,
    text: i === 0 ? text : INDENT + text,
  }));
}

const INDENT = '  ';
