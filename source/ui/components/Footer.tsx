/**
 * The bottom row: the load warnings' count, the last message, then the keys worth knowing, from
 * the keymap. The count comes first so a narrow terminal cuts keys, not the warning.
 */
import { Text } from 'ink';
import type { Keymap } from '../keymap.js';
import { theme } from '../theme.js';
import { footerText, warningsText } from '../view/footer-text.js';

export interface FooterProps {
  readonly keymap: Keymap;
  readonly message: string;
  /** How many warnings loading the rules gave (listed in the findings). */
  readonly warnings?: number;
}

export function Footer({ keymap, message, warnings = 0 }: FooterProps) {
  return (
    <Text wrap="truncate-end" {...theme.muted}>
      {warningsText(keymap, warnings)}
      {message ? `${message} · ` : ''}
      {footerText(keymap)}
    </Text>
  );
}
