import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../io/read-snapshot.js';
import { findChain, findTable, type Ruleset } from '../model/index.js';
import { type Edit, moveRule, parseEdit, switchOff } from '../rules/edits/index.js';
import { ruleSpecText } from '../rules/save.js';
import { bookinfoSnapshotJson } from './scenarios/bookinfo-file.js';
import { parseSet } from './set-path.js';
import { simulate } from './simulate.js';
import { sessionEntries } from './snapshot-edits.js';
import {
  applyChange,
  type Change,
  redoChange,
  type Session,
  sessionScenario,
  undoChange,
} from './what-if-session.js';

const UID = '-m owner --uid-owner 1337 -j RETURN';
const GID = '-m owner --gid-owner 1337 -j RETURN';

/** The built-in scenario as its snapshot restores it, with `extra` fields over the snapshot's. */
function restore(extra: Record<string, unknown> = {}) {
  const json = { ...(bookinfoSnapshotJson() as Record<string, unknown>), ...extra };
  return loadSnapshotText(JSON.stringify(json, null, 2), 'bookinfo.json');
}

function start(): Session {
  const loaded = restore();
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.whatIf;
}

const natOf = (s: Session): Ruleset => {
  const r = s.rules.current.get('reviews')?.find((x) => x.family === 'ipv4');
  if (!r) throw new Error('reviews has no ipv4 rules');
  return r;
};

/** The 1-based place of the ISTIO_OUTPUT rule written `spec`. */
function placeOf(s: Session, spec: string): number {
  const table = findTable(natOf(s), 'nat');
  const chain = table && findChain(table, 'ISTIO_OUTPUT');
  const i = chain?.rules.findIndex((r) => ruleSpecText(r) === spec) ?? -1;
  if (i < 0) throw new Error(`no rule ${spec}`);
  return i + 1;
}

const rules = (edit: Edit | undefined): Change => {
  if (!edit) throw new Error('no such edit');
  return { kind: 'rules', edit: { host: 'reviews', edit } };
};

function typed(text: string): Change {
  const parsed = parseEdit(text, 'ipv4');
  if (!parsed.ok) throw new Error(`${text} does not parse`);
  return rules(parsed.edit);
}

function then(s: Session, change: (s: Session) => Change): Session {
  const done = applyChange(s, change(s));
  if (!done.ok) throw new Error(done.message);
  return done.session;
}

const set = (text: string): Change => {
  const parsed = parseSet(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return { kind: 'set', set: parsed.set };
};

/** Every kind of change the UI makes, then the last two undone. */
function investigated(): Session {
  const steps: ((s: Session) => Change)[] = [
    (s) => typed(`-t nat -D ISTIO_OUTPUT ${placeOf(s, UID)}`),
    (s) => rules(switchOff(natOf(s), 'nat', 'ISTIO_OUTPUT', placeOf(s, GID))),
    () => typed('-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN'),
    (s) => rules(moveRule(natOf(s), 'nat', 'ISTIO_INBOUND', 1, 2)),
    () => typed('-t nat -N MY_CHAIN'),
    () => set('hosts.productpage.processes.0.uid=1001'),
    () => ({ kind: 'proxy', mode: 'rewrite' }),
    (s) => {
      const off = s.rules.applied[1]?.edit;
      if (off?.op !== 'disable') throw new Error('the gid RETURN is not off');
      return rules({ ...off, op: 'enable' });
    },
  ];
  const made = steps.reduce(then, start());
  return undoChange(undoChange(made) as Session) as Session;
}

const stepsOf = (s: Session) => simulate(sessionScenario(s)).steps;

describe("a snapshot's what-if changes", () => {
  it('restore the session they were saved from: the same trace step for step, to undo and redo', () => {
    const session = investigated();
    const entries = sessionEntries(session);
    expect(entries.edits.map((e) => e.switch ?? e.moveTo ?? e.set ?? e.proxyMode ?? '')).toEqual([
      '',
      'off',
      '',
      2,
      '',
      'hosts.productpage.processes.0.uid=1001',
    ]);
    expect(entries.undone).toEqual([
      { host: 'reviews', command: `-t nat -I ISTIO_OUTPUT 6 ${GID}`, switch: 'on' },
      { proxyMode: 'rewrite' },
    ]);
    const loaded = restore(entries);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    expect(sessionEntries(loaded.whatIf)).toEqual(entries);
    expect(simulate(loaded.scenario).steps).toEqual(stepsOf(session));
    expect(simulate(loaded.scenario).findings.some((f) => f.kind === 'loop')).toBe(true);
    // Redo brings back the proxy mode, then the rule switched back on, as in the saved session.
    const redone = (s: Session) => redoChange(redoChange(s) as Session) as Session;
    expect(stepsOf(redone(loaded.whatIf))).toEqual(stepsOf(redone(session)));
    let all = loaded.whatIf;
    while (all.applied.length > 0) all = undoChange(all) as Session;
    expect(stepsOf(all)).toEqual(stepsOf(start()));
  });

  it('name a change that does not apply by its place, and what is wrong with it', () => {
    const errorsOf = (edits: unknown[], undone: unknown[] = []) => {
      const loaded = restore({ edits, undone });
      return loaded.ok ? [] : loaded.errors;
    };
    const off = { host: 'reviews', command: '-t nat -D ISTIO_OUTPUT 99', switch: 'off' };
    expect(errorsOf([off])).toEqual([
      'bookinfo.json: edits[0] (on host "reviews"): no such rule in nat ISTIO_OUTPUT',
    ]);
    const on = { host: 'reviews', command: `-t nat -I ISTIO_OUTPUT 6 ${GID}`, switch: 'on' };
    expect(errorsOf([], [on])).toEqual([
      'bookinfo.json: undone[0] (on host "reviews"): no switched-off rule is put back by this command',
    ]);
    expect(errorsOf([{ ...on, switch: 'off' }])).toEqual([
      'bookinfo.json: edits[0].command: switch "off" goes with -D CHAIN N, found insert',
    ]);
    expect(errorsOf([{ set: 'hosts.nope.uid=1' }])).toEqual([
      expect.stringMatching(/^bookinfo\.json: edits\[0\]: .*nope/),
    ]);
    expect(errorsOf([{ set: 'uid' }])).toEqual([
      'bookinfo.json: edits[0].set: expected PATH=VALUE, as hosts.pod.processes.envoy.uid=1000',
    ]);
  });
});
