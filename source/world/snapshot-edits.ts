/**
 * A snapshot's what-if changes, both ways. Read: each is applied in order to the scenario the
 * snapshot holds, as the UI made it, into a session (undone ones too, so redo works after a
 * restore); each error names the change by its place in the list. Written: a session's changes
 * as the snapshot's words, rule edits as the iptables commands a real host would run.
 */
import type { Family, Scenario } from '../model/index.js';
import {
  type Edit,
  editAsCommand,
  moveRule,
  parseEdit,
  switchedOff,
  switchOff,
  switchOn,
} from '../rules/edits/index.js';
import { diagnosticText } from '../rules/index.js';
import { parseSet } from './set-path.js';
import type { SnapshotEdit } from './snapshot-schema.js';
import {
  applyChange,
  type Change,
  type Session,
  sessionScenario,
  startSession,
  undoChange,
} from './what-if-session.js';

export type Restored =
  | { readonly ok: true; readonly scenario: Scenario; readonly session: Session }
  | { readonly ok: false; readonly errors: readonly string[] };

/** A change as read from its words: what it is before it meets the rules it acts on. */
type Written =
  | { readonly kind: 'change'; readonly change: Change }
  | {
      readonly kind: 'rule';
      readonly host: string;
      readonly edit: Edit;
      readonly switch?: 'off' | 'on';
      readonly moveTo?: number;
    };

/** The change's words read, or the errors in them (at `at`, e.g. `edits[2]`). */
function written(e: SnapshotEdit, at: string): Written | string[] {
  if (e.proxyMode !== undefined)
    return { kind: 'change', change: { kind: 'proxy', mode: e.proxyMode } };
  if (e.set !== undefined) {
    const parsed = parseSet(e.set);
    return parsed.ok
      ? { kind: 'change', change: { kind: 'set', set: parsed.set } }
      : [`${at}.set: ${parsed.message}`];
  }
  const parsed = parseEdit(e.command ?? '', 'ipv4');
  if (!parsed.ok)
    return parsed.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${at}.command: column ${d.pos.column}: ${diagnosticText(d)}`);
  const op = parsed.edit.op;
  const needs = e.switch === 'on' ? 'insert' : 'delete';
  if ((e.switch !== undefined || e.moveTo !== undefined) && op !== needs) {
    const what = e.switch === undefined ? 'moveTo' : `switch "${e.switch}"`;
    const form = needs === 'insert' ? '-I CHAIN N RULE' : '-D CHAIN N';
    return [`${at}.command: ${what} goes with ${form}, found ${op}`];
  }
  return {
    kind: 'rule',
    host: e.host ?? '',
    edit: parsed.edit,
    ...(e.switch && { switch: e.switch }),
    ...(e.moveTo !== undefined && { moveTo: e.moveTo }),
  };
}

/** The host's ruleset of `family` as the session has it now. */
const rulesetOf = (session: Session, host: string, family: Family) =>
  session.rules.current.get(host)?.find((r) => r.family === family);

/** The change a rule edit's words make on the session as it is now, or why it makes none. */
function ruleChange(session: Session, w: Written & { kind: 'rule' }): Change | string {
  const { host, edit } = w;
  if (w.switch === 'on') {
    const command = editAsCommand(edit);
    const off = switchedOff(session.rules).filter(
      (o) => o.host === host && editAsCommand(switchOn(o.edit)) === command,
    );
    const last = off[off.length - 1];
    if (!last) return 'no switched-off rule is put back by this command';
    return { kind: 'rules', edit: { host, edit: switchOn(last.edit) } };
  }
  if (w.switch === 'off' || w.moveTo !== undefined) {
    const ruleset = rulesetOf(session, host, edit.family);
    const at = edit.op === 'delete' && ruleset && edit.chain !== undefined ? edit : undefined;
    const made =
      at &&
      ruleset &&
      (w.moveTo === undefined
        ? switchOff(ruleset, at.table, at.chain, at.index)
        : moveRule(ruleset, at.table, at.chain, at.index, w.moveTo));
    if (!made) {
      const table = 'table' in edit ? edit.table : edit.family;
      return `no such rule in ${table} ${'chain' in edit ? edit.chain : ''}`;
    }
    return { kind: 'rules', edit: { host, edit: made } };
  }
  return { kind: 'rules', edit: { host, edit } };
}

/** The session with one more change, or why it does not apply. */
function replayed(session: Session, w: Written): Session | string {
  const change = w.kind === 'change' ? w.change : ruleChange(session, w);
  if (typeof change === 'string') return change;
  const done = applyChange(session, change);
  // A change that changes nothing (a chain made twice) was not kept by the UI: nothing to redo.
  return done.ok ? done.session : done.message;
}

function where(e: SnapshotEdit, at: string): string {
  return e.host === undefined ? at : `${at} (on host "${e.host}")`;
}

/**
 * The session the snapshot's changes make of `scenario`: `edits` applied in order, then
 * `undone` (the most recently undone last) redone and undone again, so that the session can
 * redo them as the saved one could. The scenario is the session's: the edited one.
 */
export function restoreSession(
  scenario: Scenario,
  edits: readonly SnapshotEdit[],
  undone: readonly SnapshotEdit[],
  file: string,
): Restored {
  const errors: string[] = [];
  const read = (list: readonly SnapshotEdit[], name: string) =>
    list.map((e, i) => {
      const w = written(e, `${name}[${i}]`);
      if (Array.isArray(w)) errors.push(...w.map((m) => `${file}: ${m}`));
      return w;
    });
  const applied = read(edits, 'edits');
  const redone = read(undone, 'undone');
  if (errors.length > 0) return { ok: false, errors };
  let session = startSession(scenario);
  const steps = [
    ...applied.map((w, i) => ({ w, e: edits[i], at: `edits[${i}]` })),
    ...redone.map((w, i) => ({ w, e: undone[i], at: `undone[${i}]` })).reverse(),
  ];
  for (const { w, e, at } of steps) {
    const next = replayed(session, w as Written);
    if (typeof next === 'string')
      return { ok: false, errors: [`${file}: ${where(e as SnapshotEdit, at)}: ${next}`] };
    session = next;
  }
  for (let i = 0; i < undone.length; i++) session = undoChange(session) ?? session;
  return { ok: true, scenario: sessionScenario(session), session };
}

/** An edit as the command the snapshot writes: `iptables` said only for the other family. */
function commandOf(edit: Edit): string {
  // A move is written as its delete; moveTo says where the rule goes.
  const first = editAsCommand(edit).split('\n')[0] ?? '';
  return first.replace(/^iptables /, '');
}

/** A change in the snapshot's words. */
export function changeEntry(change: Change): SnapshotEdit {
  if (change.kind === 'proxy') return { proxyMode: change.mode };
  if (change.kind === 'set') return { set: change.set.text };
  const { host, edit } = change.edit;
  const command = commandOf(edit);
  if (edit.op === 'disable') return { host, command, switch: 'off' };
  if (edit.op === 'enable') return { host, command, switch: 'on' };
  if (edit.op === 'move') return { host, command, moveTo: edit.to };
  return { host, command };
}

/** A session's changes in the snapshot's words: the applied ones, and the undone ones to redo. */
export function sessionEntries(session: Session): {
  edits: SnapshotEdit[];
  undone: SnapshotEdit[];
} {
  return { edits: session.applied.map(changeEntry), undone: session.undone.map(changeEntry) };
}
