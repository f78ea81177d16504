/**
 * The edits of a what-if session as pure data: the hosts' original rulesets, the edits applied
 * to them in order, and the ones undone (for redo). The rulesets now are the originals with the
 * applied edits, so undoing every edit gives back the originals exactly.
 */

import type { Ruleset } from '../../model/index.js';
import { type AppliedEdit, applyEdit } from './apply.js';
import type { SwitchOff } from './editor.js';
import type { Edit } from './types.js';

/** An edit of one host's rules (the ruleset of the edit's family). */
export interface HostEdit {
  readonly host: string;
  readonly edit: Edit;
}

/** The rulesets of each host, by host name. */
export type HostRulesets = ReadonlyMap<string, readonly Ruleset[]>;

export interface EditHistory {
  readonly original: HostRulesets;
  readonly applied: readonly HostEdit[];
  /** Undone edits, the most recently undone last. */
  readonly undone: readonly HostEdit[];
  /** The originals with the applied edits (kept, not recomputed on every read). */
  readonly current: HostRulesets;
}

export type HistoryResult =
  | {
      readonly ok: true;
      readonly history: EditHistory;
      readonly changed: boolean;
      readonly ruleId?: string;
    }
  | Extract<AppliedEdit, { ok: false }>;

export function newHistory(original: HostRulesets): EditHistory {
  return { original, applied: [], undone: [], current: original };
}

/** The host's rulesets with one edit applied (a host without rules of its family gets some). */
function applyTo(
  rulesets: HostRulesets,
  { host, edit }: HostEdit,
): AppliedEdit & { rulesets?: HostRulesets } {
  const own = rulesets.get(host);
  if (!own) return { ok: false, message: `no host "${host}" in the scenario` };
  const base = own.find((r) => r.family === edit.family) ?? {
    family: edit.family,
    tables: [],
    backend: own[0]?.backend,
  };
  const done = applyEdit(base, edit);
  if (!done.ok || !done.changed) return done;
  const others = own.filter((r) => r.family !== edit.family);
  const mine = [...others, done.ruleset].sort((a, b) => (a.family < b.family ? -1 : 1));
  return { ...done, rulesets: new Map([...rulesets, [host, mine]]) };
}

/** Applies an edit on top of the history; redo is then no longer possible, as in an editor. */
export function apply(history: EditHistory, hostEdit: HostEdit): HistoryResult {
  const done = applyTo(history.current, hostEdit);
  if (!done.ok) return done;
  if (!done.rulesets) return { ok: true, history, changed: false };
  const next: EditHistory = {
    original: history.original,
    applied: [...history.applied, hostEdit],
    undone: [],
    current: done.rulesets,
  };
  return { ok: true, history: next, changed: true, ruleId: done.ruleId };
}

/** The rulesets after these edits (each applied before, so each applies again the same way). */
function replay(original: HostRulesets, edits: readonly HostEdit[]): HostRulesets {
  let rulesets = original;
  for (const e of edits) {
    const done = applyTo(rulesets, e);
    if (!done.ok) throw new Error(`edit history does not replay: ${done.message}`);
    rulesets = done.rulesets ?? rulesets;
  }
  return rulesets;
}

/** Takes back the last edit; the same history when there is none. */
export function undo(history: EditHistory): EditHistory {
  const last = history.applied[history.applied.length - 1];
  if (!last) return history;
  const applied = history.applied.slice(0, -1);
  return {
    original: history.original,
    applied,
    undone: [...history.undone, last],
    current: replay(history.original, applied),
  };
}

/** Applies the last undone edit again; the same history when there is none. */
export function redo(history: EditHistory): EditHistory {
  const next = history.undone[history.undone.length - 1];
  if (!next) return history;
  const done = applyTo(history.current, next);
  if (!done.ok) throw new Error(`edit history does not redo: ${done.message}`);
  return {
    original: history.original,
    applied: [...history.applied, next],
    undone: history.undone.slice(0, -1),
    current: done.rulesets ?? history.current,
  };
}

export function rulesetsOf(history: EditHistory): HostRulesets {
  return history.current;
}

/**
 * The rules switched off and not back on, with the edit that did it (switchOn of it puts the
 * rule back): for the editor to show them in their chains, greyed.
 */
export function switchedOff(history: EditHistory): readonly (HostEdit & { edit: SwitchOff })[] {
  const present = (host: string, edit: Edit & { rule: { id: string } }) =>
    (history.current.get(host) ?? []).some((r) =>
      r.tables.some((t) => t.chains.some((c) => c.rules.some((x) => x.id === edit.rule.id))),
    );
  const off = new Map<string, HostEdit & { edit: SwitchOff }>();
  for (const e of history.applied) {
    const edit = e.edit;
    if (edit.op === 'disable' && !present(e.host, edit))
      off.set(`${e.host} ${edit.rule.id}`, { host: e.host, edit });
  }
  return [...off.values()];
}
