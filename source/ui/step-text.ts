/**
 * The words of a step, as the UI shows them: made from the step's facts by source/trace/words,
 * the one place a Step becomes text. Nothing here, or in the UI, reads a sentence back.
 */
import type { Step } from '../model/index.js';
import {
  assumptionText,
  explainStep,
  missText,
  outcomeWord,
  verdictLabel,
} from '../trace/words/index.js';

/** One line in plain words: why this step happened. */
export function stepExplanation(step: Step): string {
  return explainStep(step);
}

/**
 * What the step decided, as people write it: a rule's target (ACCEPT, REDIRECT, jump
 * ISTIO_INBOUND), a packet's fate (dropped, refused), why nfdb stopped (loop, stop).
 */
export function stepVerdictLabel(step: Step): string | undefined {
  if (step.kind === 'rule') return step.verdict && verdictLabel(step.verdict);
  if (step.kind === 'fate' || step.kind === 'stop') return outcomeWord(step);
  return undefined;
}

/** What nfdb assumed at this step (a limit match, a rule it cannot simulate), if anything. */
export function stepAssumption(step: Step): string | undefined {
  return step.kind === 'rule' && step.assumption ? assumptionText(step.assumption) : undefined;
}

/** For a rule that did not match: which of its matches failed, and why. */
export function stepFailedMatch(step: Step): string | undefined {
  return step.kind === 'rule' && step.miss ? missText(step.miss) : undefined;
}
