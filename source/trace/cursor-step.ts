/**
 * The step a saved cursor names, on the trace as this nfdb numbers it. Step numbers move when a
 * rule is edited or the trace's numbering changes (version 3's rule spans), so a cursor's
 * identity wins over its number, and a number from before spans is counted the old way.
 */
import type { Trace } from '../model/index.js';
import { identityOf, locate, type StepIdentity } from './step-identity.js';

export interface SavedCursor {
  readonly step: number;
  readonly at?: StepIdentity;
  readonly ruleStep?: number;
}

/** The step numbered `n` when each rule passed over was a step: the span that holds it. */
export function stepOfRuleStep(trace: Trace, n: number): number {
  let counted = 0;
  for (const s of trace.steps) {
    const width = s.kind === 'span' ? s.passed.length : 1;
    if (n < counted + width) return s.index;
    counted += width;
  }
  // Past the end stays past the end, for the caller to refuse as it refuses any such number.
  return trace.steps.length + (n - counted);
}

/** The step `cursor` opens at; a number past the trace's end is returned as it is. */
export function cursorStep(trace: Trace, cursor: SavedCursor): number {
  if (cursor.at) return locate(trace, cursor.at, cursor.step).index;
  if (cursor.ruleStep !== undefined) return stepOfRuleStep(trace, cursor.ruleStep);
  return cursor.step;
}

/** A cursor at step `index` as this nfdb writes it: the number and the identity. */
export function cursorAt<C extends SavedCursor>(trace: Trace, cursor: C, index: number): C {
  const { ruleStep: _old, at: _at, ...rest } = cursor;
  const at = identityOf(trace, index);
  return { ...rest, step: index, ...(at && { at }) } as C;
}
