/**
 * The compare view's content: the original run against the what-if, from the trace diff (facts)
 * in the words `nfdb run --compare` prints, and the steps of the what-if where a connection's
 * path first differs, for the keys that jump between them.
 */
import { newHistory } from '../../rules/edits/index.js';
import { diffTraces, type TraceDiff } from '../../trace/diff/index.js';
import { ruleLookup } from '../../trace/rule-lookup.js';
import { compareLines } from '../../trace/words/diff.js';
import { sideBySideLines } from './compare-side.js';
import { type Run, runOf, type Session } from './session.js';

/** Where a connection's path first differs, in the what-if's own steps. */
export interface Difference {
  readonly step: number;
  /** `traffic 2 > envoy 1, packet 1 (SYN)`. */
  readonly text: string;
}

export interface Comparison {
  readonly diff: TraceDiff;
  readonly lines: readonly string[];
  /** In step order. */
  readonly differences: readonly Difference[];
  /** The paths that changed side by side, laid out for a width (kept for the last one asked). */
  sideBySide(width: number): readonly string[];
}

/** The session's scenario as loaded, before any change (its run is kept like the others). */
export function originalRun(session: Session): Run {
  return runOf({ ...session, rules: newHistory(session.rules.original), applied: [], undone: [] });
}

function differencesOf(diff: TraceDiff): Difference[] {
  return diff.connections
    .flatMap((c) => {
      const d = c.firstDifference;
      const step = d?.after?.step;
      if (!d || step === undefined) return [];
      return [{ step, text: `${c.key}, packet ${d.packet} (${d.labelAfter ?? d.label})` }];
    })
    .sort((a, b) => a.step - b.step);
}

const compared = new WeakMap<Session, Comparison>();

export function comparisonOf(session: Session): Comparison {
  const kept = compared.get(session);
  if (kept) return kept;
  const before = originalRun(session);
  const after = runOf(session);
  const rules = {
    before: ruleLookup(before.scenario.world.hosts),
    after: ruleLookup(after.scenario.world.hosts),
  };
  const diff = diffTraces(before.trace, after.trace, rules);
  let laid: { width: number; lines: readonly string[] } | undefined;
  const comparison: Comparison = {
    diff,
    lines: compareLines(diff, before.trace, after.trace, rules),
    differences: differencesOf(diff),
    sideBySide(width) {
      if (laid?.width !== width)
        laid = {
          width,
          lines: sideBySideLines(diff.connections, before.trace, after.trace, rules, width),
        };
      return laid.lines;
    },
  };
  compared.set(session, comparison);
  return comparison;
}
