/** The help overlay's text, laid out: the commands of the keymap, their keys and descriptions. */
import { commandsOf, type Keymap } from '../keymap.js';

/** Width of the keys column; the description starts one column after it. */
export const KEYS_WIDTH = 16;
/** Below this many columns a description wraps into too many lines: use one column instead. */
const MIN_DESCRIPTION = 20;
const GAP = 2;

/**
 * Words of `text` in lines of at most `width` (a longer word is cut, never lost from view).
 * Laid out by hand rather than with Ink's wrap: a help taller than its box must be cut at the
 * bottom, and clipping a flex column of wrapped rows makes Ink draw rows over one another.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word.slice(0, width);
  }
  return [...lines, line];
}

/** One entry as lines of exactly `width` columns: keys, then the description wrapped beside them. */
function entryLines(keys: string, description: string, width: number): string[] {
  const wrapped = wrapWords(description, Math.max(1, width - KEYS_WIDTH - 1));
  return wrapped.map((d, i) => `${(i === 0 ? keys : '').padEnd(KEYS_WIDTH)} ${d}`.padEnd(width));
}

function column(entries: readonly [string, string][], width: number): string[][] {
  return entries.map(([keys, description]) => entryLines(keys, description, width));
}

/** Two columns side by side, entry beside entry, the shorter one padded with blank lines. */
function sideBySide(left: string[][], right: string[][], width: number): string[] {
  const lines: string[] = [];
  left.forEach((l, i) => {
    const r = right[i] ?? [];
    for (let k = 0; k < Math.max(l.length, r.length); k++)
      lines.push(`${l[k] ?? ''.padEnd(width)}${' '.repeat(GAP)}${r[k] ?? ''}`.trimEnd());
  });
  return lines;
}

/** What the help lists: the debugger's commands (the overlays' own keys are said in place). */
export function helpEntries(keymap: Keymap): [keys: string, description: string][] {
  return commandsOf(keymap, 'browse').map((c) => [c.keys.join(' / '), c.binding.description]);
}

/**
 * The help's lines for a box `width` columns wide (inside its border) and `height` rows tall:
 * one column when it fits the height, else two, descriptions wrapped rather than cut. A terminal
 * too narrow for two readable columns gets one, cut at the bottom.
 */
export function helpLines(keymap: Keymap, width: number, height: number): string[] {
  const entries = helpEntries(keymap);
  const one = column(entries, width).flat();
  const half = Math.floor((width - GAP) / 2);
  if (one.length <= height || half - KEYS_WIDTH - 1 < MIN_DESCRIPTION)
    return one.map((l) => l.trimEnd());
  const split = Math.ceil(entries.length / 2);
  return sideBySide(
    column(entries.slice(0, split), half),
    column(entries.slice(split), half),
    half,
  );
}
