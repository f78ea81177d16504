/**
 * The compare view's paths side by side: for each connection whose path changed, the original's
 * and the what-if's decisions around the first difference, in two columns when the screen is wide
 * enough, else one above the other. A row where they part is marked `≠`, one where they agree
 * `=`, so it reads without colour (as the L view does for the kernel's path).
 */
import type { Trace } from '../../model/index.js';
import type { ConnectionChange } from '../../trace/diff/index.js';
import { type PathStep, packetPath, packetsOf, sameFact } from '../../trace/diff/path.js';
import type { RuleLookup } from '../../trace/rule-lookup.js';
import { connectionName, pathFactText } from '../../trace/words/diff.js';

/** Decisions shown before the first difference, and at most after it. */
const BEFORE = 2;
const AFTER = 6;
/** Two columns below this width would cut every rule's text: one above the other then. */
const TWO_COLUMNS = 90;

function pathOf(trace: Trace, id: number | undefined, packet: number): PathStep[] {
  const c = trace.connections.find((x) => x.id === id);
  const p = c && packetsOf(trace, c)[packet - 1];
  return p ? packetPath(trace, p) : [];
}

function rowsOf(c: ConnectionChange, before: Trace, after: Trace) {
  const d = c.firstDifference;
  if (!d) return [];
  const x = pathOf(before, c.before, d.packet);
  const y = pathOf(after, c.after, d.packet);
  // The paths agree up to the difference, which is at the same place in both.
  const at = d.before
    ? x.findIndex((s) => s.step === d.before?.step)
    : y.findIndex((s) => s.step === d.after?.step);
  const from = Math.max(0, at - BEFORE);
  const to = Math.min(Math.max(x.length, y.length), at + AFTER + 1);
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => ({
    before: x[from + i],
    after: y[from + i],
  }));
}

/** A column's text cut to its width, `…` saying so. */
const column = (text: string, width: number) =>
  text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}…`;

export function sideBySideLines(
  changes: readonly ConnectionChange[],
  before: Trace,
  after: Trace,
  rules: { readonly before: RuleLookup; readonly after: RuleLookup },
  width: number,
): string[] {
  const wide = width >= TWO_COLUMNS;
  const col = Math.floor((width - 7) / 2);
  const text = (s: PathStep | undefined, lookup: RuleLookup) =>
    s ? pathFactText(s.fact, lookup) : '(nothing)';
  return changes.flatMap((c) => {
    const rows = rowsOf(c, before, after);
    if (rows.length === 0) return [];
    const head = `${connectionName(c, before, after)}, packet ${c.firstDifference?.packet}:`;
    const lines = [head];
    if (wide) lines.push(`    ${'original'.padEnd(col)} what-if`);
    for (const r of rows) {
      const mark = sameFact(r.before?.fact, r.after?.fact) ? '=' : '≠';
      const was = text(r.before, rules.before);
      const is = text(r.after, rules.after);
      const whole = [`      original: ${was}`, `      what-if:  ${is}`];
      if (wide) lines.push(`  ${mark} ${column(was, col)} ${column(is, col).trimEnd()}`);
      else if (mark === '=') lines.push(`  = ${was}`);
      else lines.push(`  ≠ original: ${was}`, `    what-if:  ${is}`);
      // Where they part, a cut column would hide the very words that differ: both whole below.
      if (wide && mark === '≠' && Math.max(was.length, is.length) > col) lines.push(...whole);
    }
    return [...lines, ''];
  });
}
