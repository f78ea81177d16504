import type { Step } from '../../model/index.js';
import { LESSON_TEXT, lessonOf } from '../../trace/words/index.js';
import { stepAssumption, stepExplanation } from '../step-text.js';

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
