import type { Step } from '../../model/index.js';
import { stepExplanation } from '../step-text.js';

/** A step as one timeline row: index, host, where in netfilter, and why, in columns. */
export function timelineLine(step: Step): string {
  const where =
    step.kind === 'rule' || step.kind === 'policy' || step.kind === 'return'
      ? `${step.table} ${step.chain}${step.ruleIndex !== undefined ? ` #${step.ruleIndex + 1}` : ''}`
      : (step.hook ?? step.kind);
  return `${String(step.index).padStart(5)} ${step.host.padEnd(12).slice(0, 12)} ${where.padEnd(24).slice(0, 24)} ${stepExplanation(step)}`;
}
