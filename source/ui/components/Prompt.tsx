/**
 * The goto and search prompt on the footer row. The line lives in the UI state and is edited by
 * the reducer, so keys arriving in one burst ("15\r") are typed and submitted in order; this
 * only draws it. One Text for the whole row: it is redrawn in full each time, label included.
 */
import { Text } from 'ink';
import { theme } from '../theme.js';

export interface PromptProps {
  readonly label: string;
  readonly input: string;
  /** Where the caret is in the line, in characters (the end when not given). */
  readonly caret?: number;
  readonly placeholder: string;
}

export function Prompt({ label, input, caret, placeholder }: PromptProps) {
  const chars = [...input];
  const at = caret ?? chars.length;
  return (
    <Text wrap="truncate-start">
      {label}
      {chars.slice(0, at).join('')}
      <Text {...theme.current}>{chars[at] ?? ' '}</Text>
      {chars.slice(at + 1).join('')}
      {input ? '' : <Text {...theme.muted}>{placeholder}</Text>}
    </Text>
  );
}
