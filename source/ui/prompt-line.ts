/**
 * The line of a prompt as an input people expect: a caret that moves (left, right, home, end),
 * typing and deleting at it, and a word deleted before it (ctrl-w, as readline's
 * unix-word-rubout: the blanks before the caret, then the word). Pure: the reducer keeps the
 * line and its caret in the UI state, so a burst of keys lands in order.
 */

/**
 * The caret, kept with the line it was placed in: when anything else replaces the line (a
 * prompt opened with a command, a line cleared), the caret is at its end again, with no code
 * that replaces the line having to know about it.
 */
export interface Caret {
  readonly line: string;
  /** In characters (code points) from the line's start. */
  readonly at: number;
}

export interface Line {
  readonly input: string;
  readonly caret?: Caret;
}

export type LineEdit = 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'word';

const chars = (s: string) => [...s];

/** Where the caret is in `line`: where it was placed, or the end. */
export function caretAt({ input, caret }: Line): number {
  const length = chars(input).length;
  return caret && caret.line === input ? Math.max(0, Math.min(caret.at, length)) : length;
}

function placed(list: readonly string[], at: number): Required<Line> {
  const input = list.join('');
  return { input, caret: { line: input, at } };
}

/** The start of the word before `at`: the blanks before it skipped, then the word's characters. */
function wordStart(list: readonly string[], at: number): number {
  let i = at;
  while (i > 0 && /\s/.test(list[i - 1] ?? '')) i--;
  while (i > 0 && !/\s/.test(list[i - 1] ?? '')) i--;
  return i;
}

/** The line after one of the caret's keys. */
export function editLine(line: Line, edit: LineEdit): Required<Line> {
  const list = chars(line.input);
  const at = caretAt(line);
  switch (edit) {
    case 'left':
      return placed(list, Math.max(0, at - 1));
    case 'right':
      return placed(list, Math.min(list.length, at + 1));
    case 'home':
      return placed(list, 0);
    case 'end':
      return placed(list, list.length);
    case 'backspace':
      return at === 0 ? placed(list, 0) : placed(list.toSpliced(at - 1, 1), at - 1);
    case 'delete':
      return placed(list.toSpliced(at, 1), at);
    case 'word': {
      const start = wordStart(list, at);
      return placed(list.toSpliced(start, at - start), start);
    }
  }
}

/** The line with `text` typed at the caret, the caret after it. */
export function typeAt(line: Line, text: string): Required<Line> {
  const list = chars(line.input);
  const at = caretAt(line);
  return placed(list.toSpliced(at, 0, ...chars(text)), at + chars(text).length);
}

/**
 * The part of the line a row of `room` characters shows: its end while the caret is there (the
 * typing), else scrolled just enough to keep the caret in view. `caret` is within the part.
 */
export function lineWindow(
  input: string,
  at: number,
  room: number,
): { start: number; before: string; under: string; after: string } {
  const list = chars(input);
  const width = Math.max(1, room);
  // The caret's own cell counts: at the end it is a blank after the text.
  let start = Math.max(0, list.length + 1 - width);
  if (at < start) start = at;
  const end = start + width;
  return {
    start,
    before: list.slice(start, at).join(''),
    under: list[at] ?? ' ',
    after: list.slice(at + 1, Math.max(at + 1, end)).join(''),
  };
}
