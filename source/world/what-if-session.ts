/**
 * A what-if session as data: the scenario as loaded and the changes made to it since, in order
 * (rule edits, world values, the proxy's mode), with the undone ones kept for redo. One history
 * for all three, so an undo takes back whatever was done last. Rule edits go through the rules'
 * own EditHistory (ids kept); the world is the loaded one with the values set again in order.
 * The UI steps through a session (ui/what-if/session.ts keeps its runs); a snapshot stores one
 * (snapshot-changes.ts), so a restored investigation can be undone as the saved one could.
 */
import type { ProxyMode, Scenario } from '../model/index.js';
import { apply, type EditHistory, type HostEdit, redo, undo } from '../rules/edits/index.js';
import { REWRITE_MARK, withProxyMode } from './proxy-mode.js';
import { applySet, type WorldSet } from './set-path.js';
import { scenarioHistory, withRulesets } from './what-if.js';

export type Change =
  | { readonly kind: 'rules'; readonly edit: HostEdit }
  | { readonly kind: 'set'; readonly set: WorldSet }
  | { readonly kind: 'proxy'; readonly mode: ProxyMode };

export interface Session {
  readonly base: Scenario;
  readonly rules: EditHistory;
  readonly applied: readonly Change[];
  /** Undone changes, the most recently undone last. */
  readonly undone: readonly Change[];
}

export type Applied =
  | { readonly ok: true; readonly session: Session; readonly changed: boolean }
  | { readonly ok: false; readonly message: string };

/** A session on `base` with nothing changed yet. */
export function startSession(base: Scenario): Session {
  return { base, rules: scenarioHistory(base), applied: [], undone: [] };
}

/** What the envoys of a scenario do (terminate unless one rewrites); `none` without envoys. */
export function proxyModeOf(scenario: Scenario): ProxyMode | 'none' {
  const envoys = scenario.world.hosts.flatMap((h) => h.processes.filter((p) => p.kind === 'envoy'));
  if (envoys.length === 0) return 'none';
  return envoys.some((p) => p.mode === 'rewrite') ? 'rewrite' : 'terminate';
}

/** The proxy mode set on a scenario, its name marked (once) when the envoys rewrite. */
function inMode(scenario: Scenario, mode: ProxyMode): Scenario {
  const name = scenario.world.name.replace(` ${REWRITE_MARK}`, '');
  return withProxyMode({ ...scenario, world: { ...scenario.world, name } }, mode);
}

/** The world with the values set and the proxy mode chosen, rules as loaded. */
function worldOf(base: Scenario, changes: readonly Change[]): Scenario {
  let scenario = base;
  for (const c of changes) {
    if (c.kind === 'proxy') scenario = inMode(scenario, c.mode);
    if (c.kind !== 'set') continue;
    const done = applySet(scenario, c.set);
    // Each was applied once before, on the same world, so it applies again.
    if (!done.ok) throw new Error(`world edit does not replay: ${done.message}`);
    scenario = done.scenario;
  }
  return scenario;
}

/** The scenario the session's changes make of its base: what its run simulates. */
export function sessionScenario(session: Session): Scenario {
  return withRulesets(
    worldOf(session.base, session.applied),
    session.rules.current,
    session.rules.currentNft,
  );
}

export function applyChange(session: Session, change: Change): Applied {
  if (change.kind === 'rules') {
    const done = apply(session.rules, change.edit);
    if (!done.ok) return { ok: false, message: done.message };
    if (!done.changed) return { ok: true, session, changed: false };
    return {
      ok: true,
      changed: true,
      session: {
        ...session,
        rules: done.history,
        applied: [...session.applied, change],
        undone: [],
      },
    };
  }
  if (change.kind === 'set') {
    const done = applySet(worldOf(session.base, session.applied), change.set);
    if (!done.ok) return done;
  }
  return {
    ok: true,
    changed: true,
    session: { ...session, applied: [...session.applied, change], undone: [] },
  };
}

/** The session without its last change, or undefined when there is none to undo. */
export function undoChange(session: Session): Session | undefined {
  const last = session.applied[session.applied.length - 1];
  if (!last) return undefined;
  return {
    ...session,
    rules: last.kind === 'rules' ? undo(session.rules) : session.rules,
    applied: session.applied.slice(0, -1),
    undone: [...session.undone, last],
  };
}

/** The session with its last undone change made again, or undefined when there is none. */
export function redoChange(session: Session): Session | undefined {
  const next = session.undone[session.undone.length - 1];
  if (!next) return undefined;
  return {
    ...session,
    rules: next.kind === 'rules' ? redo(session.rules) : session.rules,
    applied: [...session.applied, next],
    undone: session.undone.slice(0, -1),
  };
}
