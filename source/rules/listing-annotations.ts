/**
 * What people add to a listing they paste: `(1)` callouts, `<-- here` arrows, `# why` notes.
 * iptables -L prints none of them (its own text with `#` or parentheses sits inside quotes or
 * comments), so they are taken off the line, with a warning, before the rule is read.
 */

export interface Annotation {
  /** 0-based offset in the line. */
  readonly at: number;
  readonly text: string;
}

/** After the rule: an arrow or `#`, and what follows it; or a callout `(1)` / `[2]` at the end. */
const NOTE = /\s(?:<-+|<=+|←|#(?=\s|$))/g;
const CALLOUT = /\s(\(\d{1,2}\)|\[\d{1,2}\])\s*$/;
/** Before the rule: an arrow, or a callout, then the rule's columns. */
const LEADING = /^(\s*)(-+>|=+>|→|\(\d{1,2}\)|\[\d{1,2}\])\s/;

/**
 * The line with its annotations blanked out (so columns keep their place), and the annotations.
 * Text inside quotes or a comment is the rule's own, never an annotation.
 */
export function stripAnnotations(line: string): { text: string; found: Annotation[] } {
  const found: Annotation[] = [];
  let text = line;
  const lead = LEADING.exec(text);
  if (lead?.[2] !== undefined) {
    const at = (lead[1] ?? '').length;
    found.push({ at, text: lead[2] });
    text = text.slice(0, at) + ' '.repeat(lead[2].length) + text.slice(at + lead[2].length);
  }
  const at = trailingAt(text);
  if (at !== undefined) {
    found.push({ at, text: text.slice(at).trimEnd() });
    text = text.slice(0, at).trimEnd();
  }
  return { text, found };
}

/** Where a note after the rule starts: the first arrow or `#` outside quotes, or a callout. */
function trailingAt(text: string): number | undefined {
  for (const m of text.matchAll(NOTE)) {
    const at = (m.index ?? 0) + 1;
    if (outsideQuotes(text.slice(0, at))) return at;
  }
  const callout = CALLOUT.exec(text);
  return callout ? (callout.index ?? 0) + 1 : undefined;
}

/** Whether text ends outside any "quoted" string and any comment. */
function outsideQuotes(before: string): boolean {
  const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
  return quotes % 2 === 0 && before.lastIndexOf('/*') <= before.lastIndexOf('*/');
}
