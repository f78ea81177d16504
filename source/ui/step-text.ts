/**
 * The words of a step, and the only place in the UI that reads them. The engine is turning a
 * Step's sentences into facts that source/trace/ puts into words; when it does, only this file
 * changes. Nothing here, or in the UI, reads a sentence back for its meaning.
 */
import type { Step } from '../model/index.js';

/** One line in plain words: why this step happened. */
export function stepExplanation(step: Step): string {
  return step.explain;
}

/** The verdict or action as people write it (ACCEPT, REDIRECT, jump ISTIO_INBOUND), if any. */
export function stepVerdictLabel(step: Step): string | undefined {
  return step.verdict;
}

/** What nfdb assumed at this step (a limit match, a rule it cannot simulate), if anything. */
export function stepAssumption(step: Step): string | undefined {
  return step.assumption;
}

/** For a rule that did not match: which of its matches failed, and why. */
export function stepFailedMatch(step: Step): string | undefined {
  return step.failedMatch;
}
