/**
 * The edits of a what-if session as pure data: the hosts' original rulesets, the edits applied
 * to them in order, and the ones undone (for redo). The rulesets now are the originals with the
 * applied edits, so undoing every edit gives back the originals exactly.
 */

import type { NftRuleset, Ruleset } from '../../model/index.js';
import { type AppliedEdit, applyEdit } from './apply.js';
import type { SwitchOff } from './editor.js';
import { applyNftCommand } from './nft.js';
import type { Edit } from './types.js';

/** An edit of one host's rules (the ruleset of the edit's family). */
export interface HostEdit {
  readonly host: string;
  readonly edit: Edit;
}

/** The rulesets of each host, by host name. */
export type HostRulesets = ReadonlyMap<string, readonly Ruleset[]>;

/** The nft tables of each host that has some, by host name. */
export type HostNft = ReadonlyMap<string, NftRuleset>;

export interface EditHistory {
  readonly original: HostRulesets;
  readonly applied: readonly HostEdit[];
  /** Undone edits, the most recently undone last. */
  readonly undone: readonly HostEdit[];
  /** The originals with the applied edits (kept, not recomputed on every read). */
  readonly current: HostRulesets;
  /** The hosts' nft tables, as given and with the applied nft edits. */
  readonly originalNft: HostNft;
  readonly currentNft: HostNft;
}

/** What the edits act on: each host's iptables rulesets and nft tables. */
interface Rules {
  readonly rulesets: HostRulesets;
  readonly nft: HostNft;
}

export type HistoryResult =
  | {
      readonly ok: true;
      readonly history: EditHistory;
      readonly changed: boolean;
      readonly ruleId?: string;
    }
  | Extract<AppliedEdit, { ok: false }>;

export function newHistory(original: HostRulesets, originalNft: HostNft = new Map()): EditHistory {
  return {
    original,
    applied: [],
    undone: [],
    current: original,
    originalNft,
    currentNft: originalNft,
  };
}

/** An nft command on the host's nft tables (a host without any gets them, as `nft` makes them). */
function applyNft(rules: Rules, host: string, command: string): AppliedEdit & { rules?: Rules } {
  if (!rules.rulesets.has(host) && !rules.nft.has(host))
    return { ok: false, message: `no host "${host}" in the scenario` };
  const done = applyNftCommand(rules.nft.get(host) ?? { tables: [] }, command);
  if (!done.ok || !done.changed)
    return done.ok ? { ok: true, ruleset: EMPTY, changed: false } : done;
  const nft = new Map([...rules.nft, [host, done.ruleset]]);
  return { ok: true, ruleset: EMPTY, changed: true, ruleId: done.ruleId, rules: { ...rules, nft } };
}

/** applyEdit's answer for an nft edit, whose result is in `rules`. */
const EMPTY: Ruleset = { family: 'ipv4', tables: [] };

/** The host's rules with one edit applied (a host without rules of its family gets some). */
function applyTo(rules: Rules, { host, edit }: HostEdit): AppliedEdit & { rules?: Rules } {
  if (edit.op === 'nft') return applyNft(rules, host, edit.command);
  const { rulesets } = rules;
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
  return { ...done, rules: { ...rules, rulesets: new Map([...rulesets, [host, mine]]) } };
}

const rulesOf = (history: EditHistory): Rules => ({
  rulesets: history.current,
  nft: history.currentNft,
});

/** Applies an edit on top of the history; redo is then no longer possible, as in an editor. */
export function apply(history: EditHistory, hostEdit: HostEdit): HistoryResult {
  const done = applyTo(rulesOf(history), hostEdit);
  if (!done.ok) return done;
  if (!done.rules) return { ok: true, history, changed: false };
  const next: EditHistory = {
    ...history,
    applied: [...history.applied, hostEdit],
    undone: [],
    current: done.rules.rulesets,
    currentNft: done.rules.nft,
  };
  return { ok: true, history: next, changed: true, ruleId: done.ruleId };
}

/** The rulesets after these edits (each applied before, so each applies again the same way). */
function replay(original: Rules, edits: readonly HostEdit[]): Rules {
  let rules = original;
  for (const e of edits) {
    const done = applyTo(rules, e);
    if (!done.ok) throw new Error(`edit history does not replay: ${done.message}`);
    rules = done.rules ?? rules;
  }
  return rules;
}

/** Takes back the last edit; the same history when there is none. */
export function undo(history: EditHistory): EditHistory {
  const last = history.applied[history.applied.length - 1];
  if (!last) return history;
  const applied = history.applied.slice(0, -1);
  const rules = replay({ rulesets: history.original, nft: history.originalNft }, applied);
  return {
    ...history,
    applied,
    undone: [...history.undone, last],
    current: rules.rulesets,
    currentNft: rules.nft,
  };
}

/** Applies the last undone edit again; the same history when there is none. */
export function redo(history: EditHistory): EditHistory {
  const next = history.undone[history.undone.length - 1];
  if (!next) return history;
  const done = applyTo(rulesOf(history), next);
  if (!done.ok) throw new Error(`edit history does not redo: ${done.message}`);
  return {
    ...history,
    applied: [...history.applied, next],
    undone: history.undone.slice(0, -1),
    current: done.rules?.rulesets ?? history.current,
    currentNft: done.rules?.nft ?? history.currentNft,
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
