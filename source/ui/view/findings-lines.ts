/**
 * The findings view's text: the summary `nfdb run` prints (trace/summary.ts) and the load
 * warnings, wrapped to the view's width, with the rows each finding that has a step takes, so
 * the reducer can select it, scroll to it and jump to its step.
 */
import type { Diagnostic } from '../../model/index.js';
import { diagnosticText } from '../../rules/index.js';
import type { SummaryItem } from '../../trace/words/index.js';
import { wrapWords } from './help-lines.js';

/** A line of the findings view before wrapping: its words, its level, its step if it has one. */
export interface FindingsEntry {
  readonly text: string;
  readonly indent: number;
  readonly step?: number;
}

/** A finding with a step, by the rows it takes: what j/k select and Enter jumps from. */
export interface FindingTarget {
  readonly step: number;
  readonly first: number;
  readonly last: number;
}

export interface FindingsRow {
  readonly text: string;
  /** The target this row belongs to, if its finding has a step. */
  readonly target?: number;
}

export interface FindingsLayout {
  readonly rows: readonly FindingsRow[];
  readonly targets: readonly FindingTarget[];
}

/** Columns of the gutter, where the selected finding's `▶` stands. */
export const GUTTER = 2;
const LEVEL = 2;

/**
 * The summary without its title (the view has its own), one level up, then the load warnings
 * by line and column: a pasted listing's warnings are what tells the user what nfdb did not read.
 */
export function findingsEntries(
  items: readonly SummaryItem[],
  diagnostics: readonly Diagnostic[] = [],
): FindingsEntry[] {
  const entries: FindingsEntry[] = items
    .filter((i) => i.section !== 'title')
    .map((i) => ({
      text: i.text,
      indent: Math.max(0, i.indent - 1),
      ...(i.step === undefined ? {} : { step: i.step }),
    }));
  if (diagnostics.length === 0) return entries;
  return [
    ...entries,
    { text: `Load warnings (${diagnostics.length}):`, indent: 0 },
    ...diagnostics.map((d) => ({
      text: `${d.pos.line}:${d.pos.column} ${diagnosticText(d)}`,
      indent: 1,
    })),
  ];
}

/** `text` in lines of at most `width` columns; a word wider than that is broken, not cut. */
export function wrapWhole(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const words = text.split(' ').flatMap((word) => {
    const parts: string[] = [];
    for (let i = 0; i < word.length; i += w) parts.push(word.slice(i, i + w));
    return parts.length > 0 ? parts : [''];
  });
  return wrapWords(words.join(' '), w);
}

/**
 * The entries wrapped to `width` columns (gutter included): a wrapped entry's later rows hang
 * one level deeper than its first, so each finding reads as one block.
 */
export function findingsLayout(entries: readonly FindingsEntry[], width: number): FindingsLayout {
  const rows: FindingsRow[] = [];
  const targets: FindingTarget[] = [];
  for (const e of entries) {
    const pad = e.indent * LEVEL;
    const first = rows.length;
    const target = e.step === undefined ? undefined : targets.length;
    // Wrapped to the narrower width of the hanging rows, so no word moves between them.
    const lines = wrapWhole(e.text, width - GUTTER - pad - LEVEL).map(
      (l, i) => `${' '.repeat(pad + (i === 0 ? 0 : LEVEL))}${l}`,
    );
    for (const text of lines) rows.push(target === undefined ? { text } : { text, target });
    if (e.step !== undefined) targets.push({ step: e.step, first, last: rows.length - 1 });
  }
  return { rows, targets };
}
