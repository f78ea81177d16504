import type { Step } from '../../model/index.js';
import { LESSON_TEXT, lessonOf } from '../../trace/words/index.js';
import { stepAssumption, stepExplanation } from '../step-text.js';
import { wrapWords } from './help-lines.js';

/** The explanation of the step in plain words, with the lesson behind it where there is one. */
export function explanation(step: Step | undefined): string[] {
  if (!step) return [];
  const lines = [stepExplanation(step)];
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
