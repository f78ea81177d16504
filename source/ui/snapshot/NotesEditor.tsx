/**
 * The notes editor over the body: the investigation's notes, typed at their end. The reducer
 * edits them (keys in a burst stay in order); this only draws the last lines that fit.
 */
import { Box, Text } from 'ink';
import { type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';

export interface NotesEditorProps {
  readonly keymap: Keymap;
  readonly notes: string;
  readonly height: number;
  readonly width: number;
}

/** The notes cut into rows of `width` characters, so the editor knows how many it draws. */
export function notesRows(notes: string, width: number): string[] {
  return notes.split('\n').flatMap((line) => {
    const chars = [...line];
    if (chars.length === 0) return [''];
    const rows: string[] = [];
    for (let i = 0; i < chars.length; i += width) rows.push(chars.slice(i, i + width).join(''));
    return rows;
  });
}

export function NotesEditor({ keymap, notes, height, width }: NotesEditorProps) {
  const key = (
    command: 'notes.newline' | 'notes.done' | 'snapshot.save',
    mode = 'notes' as const,
  ) => keysOf(keymap, command, command === 'snapshot.save' ? 'browse' : mode).map(keyLabel)[0];
  // Border and padding take four columns, border and title three rows; the end, where typing
  // goes, stays in view.
  const rows = notesRows(notes, Math.max(1, width - 5));
  const shown = rows.slice(-Math.max(1, height - 3));
  return (
    <Box
      flexDirection="column"
      borderStyle="double"
      borderColor={theme.focused.color}
      paddingX={1}
      width={width}
      height={height}
    >
      <Text bold wrap="truncate-end">
        notes ({key('notes.newline')} new line, {key('notes.done')} done; {key('snapshot.save')}{' '}
        saves them with the snapshot)
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines repeat, their place is their key
        <Text key={i} wrap="truncate-end">
          {line}
          {i === shown.length - 1 && <Text {...theme.current}> </Text>}
        </Text>
      ))}
    </Box>
  );
}
