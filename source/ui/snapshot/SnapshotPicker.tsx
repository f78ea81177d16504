/**
 * The snapshot picker over the body: the saved snapshots, most recent first, then the curated
 * ones. The reducer moves the selection and opens (picker.next, picker.prev, prompt.accept).
 */
import { Box, Text } from 'ink';
import { type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';
import { pickerRows, pickerTop } from './picker-rows.js';
import type { SnapshotEntry } from './types.js';

export interface SnapshotPickerProps {
  readonly keymap: Keymap;
  /** Undefined while the library is being read. */
  readonly entries?: readonly SnapshotEntry[];
  readonly pick: number;
  readonly height: number;
  readonly width: number;
}

export function SnapshotPicker({ keymap, entries, pick, height, width }: SnapshotPickerProps) {
  const rows = pickerRows(entries ?? []);
  // Border and title take three rows.
  const fit = Math.max(1, height - 3);
  const top = pickerTop(rows, pick, fit);
  const cancel = keysOf(keymap, 'prompt.cancel', 'open').map(keyLabel)[0];
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
        snapshots (Enter opens, {cancel} closes)
      </Text>
      {entries === undefined && <Text {...theme.muted}>reading the snapshots…</Text>}
      {rows.slice(top, top + fit).map((r) => {
        const selected = r.entry === pick;
        const style = r.head && !r.unreadable ? undefined : theme.muted;
        return (
          <Text
            key={`${r.entry}${r.head ? '' : '-notes'}`}
            wrap="truncate-end"
            {...style}
            {...(selected && r.head ? theme.focused : {})}
          >
            {r.head ? (selected ? '❯ ' : '  ') : '  '}
            {r.text}
          </Text>
        );
      })}
    </Box>
  );
}
