/** The help overlay: every command of the keymap, from the same table the key handling uses. */
import { Box, Text } from 'ink';
import { type Keymap, keyLabel, keysOf } from '../keymap.js';
import { theme } from '../theme.js';
import { helpLines, KEYS_WIDTH } from '../view/help-lines.js';

export interface HelpProps {
  readonly keymap: Keymap;
  readonly height?: number;
  readonly width?: number;
}

export function Help({ keymap, height = 40, width = 100 }: HelpProps) {
  // Border and padding take 4 columns and 2 rows, the title one more row.
  const fit = Math.max(1, height - 3);
  const lines = helpLines(keymap, Math.max(KEYS_WIDTH + 2, width - 4), fit);
  const toggle = keysOf(keymap, 'help.toggle', 'help').map(keyLabel)[0];
  const close = keysOf(keymap, 'help.close', 'help').map(keyLabel)[0];
  return (
    <Box
      borderStyle="double"
      borderColor={theme.focused.color}
      flexDirection="column"
      paddingX={1}
      width={width}
    >
      <Text bold>
        nfdb keys ({toggle} or {close} closes)
      </Text>
      {lines.slice(0, fit).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines repeat (blank continuation rows), so the index is the key
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
