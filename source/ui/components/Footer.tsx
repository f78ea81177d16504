/** The bottom row: the last message, then the keys worth knowing, from the keymap. */
import { Text } from 'ink';
import type { Keymap } from '../keymap.js';
import { theme } from '../theme.js';
import { footerText } from '../view/footer-text.js';

export function Footer({ keymap, message }: { keymap: Keymap; message: string }) {
  return (
    <Text wrap="truncate-end" {...theme.muted}>
      {message ? `${message} · ` : ''}
      {footerText(keymap)}
    </Text>
  );
}
