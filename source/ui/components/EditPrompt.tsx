/**
 * The what-if editor, in the explanation's place: what Enter will do, the line being typed, and
 * when an edit did not apply, a caret under the column it failed at with the reason. The line
 * lives in the UI state (the reducer types into it), so a burst of keys lands in order. Rows are
 * laid out by hand to the region's height: Ink clipping wrapped rows draws them over each other.
 */
import { Box, Text } from 'ink';
import { lineWindow } from '../prompt-line.js';
import { theme } from '../theme.js';
import { wrapWords } from '../view/help-lines.js';
import type { EditError } from '../what-if/editor-target.js';

export interface EditPromptProps {
  readonly label: string;
  readonly input: string;
  /** Where the caret is in the line, in characters. */
  readonly caret?: number;
  readonly error?: EditError;
  readonly width: number;
  readonly height: number;
}

const PROMPT = '> ';

/** The error's rows: the caret on a row of its own when there is room, the reason wrapped. */
function errorRows(error: EditError, caret: string | undefined, width: number, rows: number) {
  const where = error.column === undefined ? '' : `column ${error.column}: `;
  const reason = `${where}${error.text}`;
  if (!caret) return wrapWords(reason, width).slice(0, rows);
  if (rows < 2) return [`${caret} ${reason}`];
  return [caret, ...wrapWords(reason, width).slice(0, rows - 1)];
}

export function EditPrompt({ label, input, caret: at, error, width, height }: EditPromptProps) {
  // A line longer than the screen shows its end, where the typing is, or the part around the
  // caret; the error's caret moves with it.
  const room = Math.max(1, width - PROMPT.length);
  const shown = lineWindow(input, at ?? [...input].length, room);
  const { start } = shown;
  const caretAt = error?.column === undefined ? undefined : error.column - 1 - start;
  const caret =
    caretAt !== undefined && caretAt >= 0 ? `${' '.repeat(PROMPT.length + caretAt)}^` : undefined;
  const below = error ? errorRows(error, caret, width, Math.max(1, height - 2)) : [];
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate-end" bold>
        {label}
        <Text {...theme.muted}>
          {' '}
          · Enter applies · Esc cancels · ←/→ ctrl-a/e move · ctrl-w deletes a word · ctrl-u clears
        </Text>
      </Text>
      <Text wrap="truncate-end">
        {PROMPT}
        {shown.before}
        <Text {...theme.current}>{shown.under}</Text>
        {shown.after}
      </Text>
      {below.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of one message, in order
        <Text key={i} wrap="truncate-end" {...theme.error}>
          {row}
        </Text>
      ))}
    </Box>
  );
}
