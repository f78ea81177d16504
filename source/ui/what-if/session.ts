/**
 * A what-if session in the UI: the session itself is data of the world (what-if-session.ts);
 * here its runs are kept. The trace of a session is simulated once and kept: undo and redo find
 * it again.
 */
import type { Scenario, Trace } from '../../model/index.js';
import { simulate } from '../../world/simulate.js';
import { type Session, sessionScenario, startSession } from '../../world/what-if-session.js';

export {
  type Applied,
  applyChange,
  type Change,
  proxyModeOf,
  redoChange,
  type Session,
  undoChange,
} from '../../world/what-if-session.js';

/** A session on `base`; its `trace` (when given) is kept as the run of no changes. */
export function newSession(base: Scenario, trace?: Trace): Session {
  const session = startSession(base);
  if (trace) remember(session, { scenario: base, trace });
  return session;
}

export interface Run {
  readonly scenario: Scenario;
  readonly trace: Trace;
}

/** Runs kept per loaded scenario, by the changes made: enough for a long undo and redo. */
const KEPT = 32;
const runs = new WeakMap<Scenario, Map<string, Run>>();

const keyOf = (session: Session) => JSON.stringify(session.applied);

function remember(session: Session, run: Run): Run {
  const kept = runs.get(session.base) ?? new Map<string, Run>();
  runs.set(session.base, kept);
  kept.set(keyOf(session), run);
  const oldest = kept.keys().next().value;
  if (kept.size > KEPT && oldest !== undefined) kept.delete(oldest);
  return run;
}

/** The session's scenario and its simulated trace (simulated once per set of changes). */
export function runOf(session: Session): Run {
  const kept = runs.get(session.base)?.get(keyOf(session));
  if (kept) return kept;
  const scenario = sessionScenario(session);
  return remember(session, { scenario, trace: simulate(scenario) });
}

/** Whether the session has changed anything (the title says "what-if" then). */
export const isWhatIf = (session: Session | undefined) => (session?.applied.length ?? 0) > 0;
