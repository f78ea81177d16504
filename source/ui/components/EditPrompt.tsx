/**
 * The what-if editor, in the explanation's place: what Enter will do, the line being typed, and
 * when an edit did not apply, a caret under the column it failed at with the reason. The line
 * lives in the UI state (the reducer types into it), so a burst of keys lands in order.
 */
import { Box, Text } from 'ink';
import { theme } from '../theme.js';
import type { EditError } from '../what-if/editor-target.js';

export interface EditPromptProps {
  readonly label: string;
  readonly input: string;
  readonly error?: EditError;
  readonly width: number;
  readonly height: number;
}

const PROMPT = '> ';

export function EditPrompt({ label, input, error, width, height }: EditPromptProps) {
  // A line longer than the screen shows its end, where the typing is; the caret moves with it.
  const room = Math.max(1, width - PROMPT.length - 1);
  const start = Math.max(0, input.length - room);
  const caretAt = error?.column === undefined ? undefined : error.column - 1 - start;
  const where = error?.column === undefined ? '' : `column ${error.column}: `;
  const caret =
    caretAt !== undefined && caretAt >= 0 ? `${' '.repeat(PROMPT.length + caretAt)}^` : undefined;
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <Text wrap="truncate-end" bold>
        {label}
        <Text {...theme.muted}> · Enter applies · Esc cancels · ctrl-u clears</Text>
      </Text>
      <Text wrap="truncate-end">
        {PROMPT}
        {input.slice(start)}
        <Text {...theme.current}> </Text>
      </Text>
      {error && caret && height > 3 && (
        <Text wrap="truncate-end" {...theme.error}>
          {caret}
        </Text>
      )}
      {error && (
        <Text wrap="wrap" {...theme.error}>
          {height > 3 || !caret ? '' : `${caret} `}
          {where}
          {error.text}
        </Text>
      )}
    </Box>
  );
}
