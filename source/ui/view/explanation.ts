import type { SpanStep, Step } from '../../model/index.js';
import { passedMiss } from '../../model/index.js';
import { LESSON_TEXT, lessonOf, missText } from '../../trace/words/index.js';
import { stepAssumption, stepExplanation } from '../step-text.js';
import { wrapWords } from './help-lines.js';

/** Passed rules said at most: the pane shows fewer, and a span may pass 9,000. */
const PASSED_SHOWN = 40;

/**
 * Why each rule of a span missed, from the row selected with . and , when it is in the span
 * (so those keys walk through the misses), else from the span's first rule.
 */
function passedLines(step: SpanStep, row: number | undefined): string[] {
  if (step.passed.length === 1) return [];
  const last = step.ruleIndex + step.passed.length - 1;
  const from = row !== undefined && row >= step.ruleIndex && row <= last ? row : step.ruleIndex;
  return step.passed
    .slice(from - step.ruleIndex, from - step.ruleIndex + PASSED_SHOWN)
    .map((p, i) => `  rule ${from + i + 1}: ${missText(passedMiss(p, step.packet))}`);
}

/**
 * The explanation of the step in plain words, with the lesson behind it where there is one;
 * for rules passed over, why each missed. `row`: the chain row selected (0-based), if any.
 */
export function explanation(step: Step | undefined, row?: number): string[] {
  if (!step) return [];
  const lines = [stepExplanation(step)];
  if (step.kind === 'span') lines.push(...passedLines(step, row));
  const assumption = stepAssumption(step);
  if (assumption) lines.push(`Assumed: ${assumption}`);
  const lesson = lessonOf(step);
  if (lesson) lines.push(LESSON_TEXT[lesson]);
  return lines;
}

/** Rows each line takes wrapped at word boundaries to `width` columns. */
export function wrappedRows(lines: readonly string[], width: number): number[] {
  return lines.map((l) => wrapWords(l, Math.max(1, width)).length);
}

/**
 * The lines that fit whole in `height` rows, wrapped to `width`: a line is dropped rather than
 * cut, since Ink draws a clipped wrapped row over the next one.
 */
export function fittingLines(lines: readonly string[], width: number, height: number): string[] {
  const rows = wrappedRows(lines, width);
  let used = 0;
  const fit: string[] = [];
  lines.forEach((line, i) => {
    const need = rows[i] ?? 1;
    if (used + need > height || fit.length < i) return;
    fit.push(line);
    used += need;
  });
  return fit;
}
