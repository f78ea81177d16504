import type { Trace } from '../model/index.js';

/** How many rules the engine evaluated: one a rule step, each rule of a span one more. */
export function rulesEvaluated(trace: Trace): number {
  let n = 0;
  for (const s of trace.steps) n += s.kind === 'rule' ? 1 : s.kind === 'span' ? s.passed.length : 0;
  return n;
}
