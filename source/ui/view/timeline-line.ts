import type { Step } from '../../model/index.js';
import { whereOf } from '../../trace/words/index.js';
import { stepExplanation } from '../step-text.js';

/** A step as one timeline row: index, host, where in netfilter, and why, in columns. */
export function timelineLine(step: Step): string {
  return `${String(step.index).padStart(5)} ${step.host.padEnd(12).slice(0, 12)} ${whereOf(step).padEnd(24).slice(0, 24)} ${stepExplanation(step)}`;
}
