/**
 * The what-if commands through the reducer, the way the keys reach them: each edit on the ▶
 * rule, the editor's line applied or refused in place, undo and redo, the cursor kept on its
 * step, the world and the proxy mode, the comparison's differences.
 */
import { describe, expect, it } from 'vitest';
import { ruleSpecText } from '../../rules/save.js';
import { identityOf } from '../../trace/step-identity.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { DEFAULT_KEYMAP } from '../keymap.js';
import { initialState, reduce, type UiState } from '../state.js';
import { chainAt } from '../view/chain-at.js';
import { comparisonOf } from './compare.js';
import { editsLines } from './edits-lines.js';
import { newSession, runOf } from './session.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const start: UiState = { ...initialState, whatIf: newSession(scenario, trace) };
const traceOf = (s: UiState) => (s.whatIf ? runOf(s.whatIf).trace : trace);

/** Keys by name, each reduced on the trace the state before it shows (as the app does). */
const press = (s: UiState, ...names: string[]) =>
  names.reduce(
    (x, name) =>
      reduce(x, traceOf(x), {
        type: 'key',
        name,
        keymap: DEFAULT_KEYMAP,
        page: 10,
        match: () => false,
      }),
    s,
  );
/** Text typed into a prompt, `\r` as Enter (as key-names.ts splits a burst). */
const type = (s: UiState, text: string) =>
  press(s, ...[...text].map((c) => (c === '\r' ? 'return' : c)));

/** The rule the ▶ row is at: its chain and spec, as the chain pane shows it. */
function selected(s: UiState) {
  const at = chainAt(runOf(s.whatIf ?? newSession(scenario)).scenario, traceOf(s), s.cursor);
  const rule = at?.currentRow === undefined ? undefined : at.chain.rules[at.currentRow];
  return at && { chain: at.chain.name, row: at.currentRow, rule };
}

const UID = '-m owner --uid-owner 1337 -j RETURN';
const GID = '-m owner --gid-owner 1337 -j RETURN';

/** The first step evaluating the rule of ISTIO_OUTPUT whose spec is `spec`. */
function atRule(s: UiState, spec: string): UiState {
  const t = traceOf(s);
  const { scenario: sc } = runOf(s.whatIf ?? newSession(scenario));
  const i = t.steps.findIndex((step) => {
    if (step.kind !== 'rule' || step.chain !== 'ISTIO_OUTPUT') return false;
    const at = chainAt(sc, t, step.index);
    const rule = at?.chain.rules[step.ruleIndex];
    return rule !== undefined && ruleSpecText(rule) === spec;
  });
  if (i < 0) throw new Error(`no step at the rule ${spec}`);
  return reduce(s, t, { type: 'goto', step: i });
}

/** The first step that passes the rule of ISTIO_OUTPUT whose spec is `spec` (a span). */
function atPassed(s: UiState, spec: string): UiState {
  const t = traceOf(s);
  const { scenario: sc } = runOf(s.whatIf ?? newSession(scenario));
  const i = t.steps.findIndex((step) => {
    if (step.kind !== 'span' || step.chain !== 'ISTIO_OUTPUT') return false;
    const rules = chainAt(sc, t, step.index)?.chain.rules ?? [];
    const passed = rules.slice(step.ruleIndex, step.ruleIndex + step.passed.length);
    return passed.some((r) => ruleSpecText(r) === spec);
  });
  if (i < 0) throw new Error(`no step passes the rule ${spec}`);
  return reduce(s, t, { type: 'goto', step: i });
}

const loops = (s: UiState) => traceOf(s).findings.some((f) => f.kind === 'loop');
const rulesOf = (s: UiState, chain: string) =>
  runOf(s.whatIf ?? newSession(scenario))
    .scenario.world.hosts.flatMap((h) => h.rulesets)
    .flatMap((r) => r.tables)
    .flatMap((t) => t.chains)
    .find((c) => c.name === chain)?.rules ?? [];

describe('what-if in the reducer', () => {
  it("deletes envoy's two RETURN rules with D, loops, and undoes and redoes any number", () => {
    const uid = atRule(start, UID);
    expect(selected(uid)?.chain).toBe('ISTIO_OUTPUT');
    const one = press(uid, 'D');
    expect(one.message).toMatch(/^deleted rule \d+ of ISTIO_OUTPUT/);
    expect(rulesOf(one, 'ISTIO_OUTPUT')).toHaveLength(rulesOf(start, 'ISTIO_OUTPUT').length - 1);
    expect(loops(one)).toBe(false);
    const gid = atRule(one, GID);
    const two = press(gid, 'D');
    expect(loops(two)).toBe(true);
    const undone = press(two, 'u', 'u');
    expect(loops(undone)).toBe(false);
    expect(undone.whatIf?.applied).toHaveLength(0);
    expect(press(undone, 'u').message).toBe('nothing to undo');
    const redone = press(undone, 'ctrl-r', 'ctrl-r');
    expect(loops(redone)).toBe(true);
    expect(press(redone, 'ctrl-r').message).toBe('nothing to redo');
  });

  it('keeps the cursor on the same step by its facts, or says how near it landed', () => {
    // A rule every inbound packet matches first and goes on: every later step gets another
    // number (a rule every packet passes over would join the span of rules it passes).
    const end = reduce(start, trace, { type: 'goto', step: trace.steps.length - 1 });
    const shifted = type(press(end, '!', 'ctrl-u'), '-t nat -I ISTIO_INBOUND 1 -j LOG\r');
    expect(shifted.cursor).toBeGreaterThan(end.cursor);
    expect(shifted.message).toBe(
      `-t nat -I ISTIO_INBOUND 1 -j LOG · on the same step (step ${shifted.cursor})`,
    );
    expect(identityOf(traceOf(shifted), shifted.cursor)).toEqual(identityOf(trace, end.cursor));
    expect(press(shifted, 'u').cursor).toBe(end.cursor);
    // The rule at the cursor switched off: its step is gone, the cursor goes to the rule after
    // it in the same chain, so the chain stays in view (with X to put the rule back).
    const off = press(atRule(start, UID), 'x');
    expect(off.message).toMatch(/that step is gone: at its place in the same chain \(step \d+\)$/);
    const next = selected(off)?.rule;
    // Envoy's packet passes the rule after it and is returned by its gid.
    expect(next && ruleSpecText(next)).toBe(GID);
    // The jump into the chain deleted: the chain is not entered, the cursor goes to its hook.
    const unhooked = type(press(atPassed(start, UID), '!', 'ctrl-u'), '-t nat -D OUTPUT 1\r');
    expect(unhooked.message).toMatch(/that step is gone: at the same hook \(step \d+\)$/);
    expect(traceOf(unhooked).steps[unhooked.cursor]).toMatchObject({
      kind: 'hook',
      hook: 'OUTPUT',
    });
  });

  it('edits the ▶ rule in its line, and shows a bad line in place changing nothing', () => {
    const uid = atRule(start, UID);
    const open = press(uid, 'e');
    expect(open.overlay).toBe('edit');
    expect(open.input).toBe('-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN');
    const bad = type(press(open, 'ctrl-u'), '-A ISTIO_OUTPUT -m owner --uid-ownr 1337 -j RETURN\r');
    expect(bad.overlay).toBe('edit');
    expect(bad.editError?.column).toBe(26);
    expect(bad.editError?.text).toMatch(/uid-ownr/);
    expect(bad.whatIf).toBe(uid.whatIf);
    const elsewhere = type(press(bad, 'ctrl-u'), '-A ISTIO_INBOUND -j RETURN\r');
    expect(elsewhere.editError).toMatchObject({ column: 4 });
    const good = type(
      press(elsewhere, 'ctrl-u'),
      '-A ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN\r',
    );
    expect(good.overlay).toBe('none');
    expect(good.message).toMatch(/^replaced rule \d+ of ISTIO_OUTPUT/);
    const row = selected(uid)?.row ?? -1;
    expect(JSON.stringify(rulesOf(good, 'ISTIO_OUTPUT')[row])).toContain('1000');
    // The replaced rule keeps its id: the two runs line up rule by rule.
    expect(rulesOf(good, 'ISTIO_OUTPUT')[row]?.id).toBe(rulesOf(start, 'ISTIO_OUTPUT')[row]?.id);
    expect(press(press(uid, 'e'), 'escape')).toMatchObject({ overlay: 'none', whatIf: uid.whatIf });
  });

  it('moves a caret in the line: typed and deleted at it, a word at a time with ctrl-w', () => {
    const open = press(atRule(start, UID), 'e');
    // Back over "-j RETURN", the word before it out, another uid in.
    const back = press(open, ...[...'-j RETURN'].map(() => 'left'));
    const retyped = type(press(back, 'ctrl-w'), '1000 ');
    expect(retyped.input).toBe('-A ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN');
    // Home and end, as the keys or as readline's ctrl-a and ctrl-e; ctrl-d deletes at the caret.
    expect(press(retyped, 'home', 'ctrl-d').input).toMatch(/^A ISTIO_OUTPUT/);
    expect(type(press(retyped, 'ctrl-a', 'ctrl-e'), ' ').input).toMatch(/RETURN $/);
    expect(type(press(retyped, 'ctrl-a', 'right', 'right', 'backspace'), 'I').input).toMatch(
      /^-I ISTIO_OUTPUT/,
    );
    const applied = press(retyped, 'return');
    expect(applied.overlay).toBe('none');
    expect(rulesOf(applied, 'ISTIO_OUTPUT').map((r) => ruleSpecText(r))).toContain(
      '-m owner --uid-owner 1000 -j RETURN',
    );
    // A prompt opened again has its caret at the end of its new line.
    const again = atRule(applied, '-m owner --uid-owner 1000 -j RETURN');
    expect(type(press(again, '!'), 'x').input).toBe('-t nat x');
  });

  it('lists a switched-off rule as off in the edits, not as removed', () => {
    const off = press(atRule(start, UID), 'x');
    const lines = off.whatIf ? editsLines(off.whatIf) : [];
    expect(lines).toContain(`  off -A ISTIO_OUTPUT ${UID}  (X puts it back)`);
    expect(lines.some((l) => l.startsWith('  - '))).toBe(false);
    const deleted = press(atRule(start, UID), 'D');
    expect(deleted.whatIf && editsLines(deleted.whatIf)).toContain(`  - -A ISTIO_OUTPUT ${UID}`);
  });

  it('inserts before and after, moves, switches off and back on, sets a policy', () => {
    const uid = atRule(start, UID);
    const n = (selected(uid)?.row ?? 0) + 1;
    const before = rulesOf(start, 'ISTIO_OUTPUT');
    expect(press(uid, 'i').input).toBe(`-t nat -I ISTIO_OUTPUT ${n} `);
    expect(press(uid, 'a').input).toBe(`-t nat -I ISTIO_OUTPUT ${n + 1} `);
    const inserted = type(press(uid, 'a'), '-d 10.9.9.9 -j RETURN\r');
    const placed = rulesOf(inserted, 'ISTIO_OUTPUT')[n];
    expect(placed && ruleSpecText(placed)).toBe('-d 10.9.9.9/32 -j RETURN');
    const up = press(uid, 'K');
    expect(rulesOf(up, 'ISTIO_OUTPUT')[n - 2]?.id).toBe(before[n - 1]?.id);
    const down = press(uid, 'J');
    expect(rulesOf(down, 'ISTIO_OUTPUT')[n]?.id).toBe(before[n - 1]?.id);
    const off = press(uid, 'x');
    expect(rulesOf(off, 'ISTIO_OUTPUT').map((r) => r.id)).not.toContain(before[n - 1]?.id);
    const on = press(atRule(off, GID), 'X');
    expect(rulesOf(on, 'ISTIO_OUTPUT').map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(press(on, 'X').message).toBe('no rule of ISTIO_OUTPUT is switched off');
    expect(press(uid, 'P').message).toMatch(/user chain/);
  });

  it('acts on a row selected with . and , in the chain shown, rules after the ▶ one too', () => {
    const uid = atRule(start, UID);
    const n = (selected(uid)?.row ?? 0) + 1;
    const before = rulesOf(start, 'ISTIO_OUTPUT');
    const picked = press(uid, '.', '.', ',', '.');
    expect(picked.row).toBe(n + 1);
    expect(picked.message).toBe(`rule ${n + 2} of ISTIO_OUTPUT selected: e i a D x J K act on it`);
    expect(press(picked, 'e').input).toBe(`-A ISTIO_OUTPUT ${ruleSpecText(before[n + 1]!)}`);
    const gone = press(picked, 'D');
    expect(rulesOf(gone, 'ISTIO_OUTPUT').map((r) => r.id)).not.toContain(before[n + 1]?.id);
    // K moves the selected rule, and the selection follows it.
    const up = press(picked, 'K');
    expect(rulesOf(up, 'ISTIO_OUTPUT')[n]?.id).toBe(before[n + 1]?.id);
    expect(up.row).toBe(n);
    // Stepping lets the selection go: the keys act on the ▶ rule again.
    expect(press(picked, 'l').row).toBeUndefined();
    // Browsing a chain with { }, no rule is ▶: , selects its last.
    const browsed = press(uid, '}');
    expect(press(browsed, 'D').message).toMatch(/no ▶ rule here/);
    expect(press(browsed, ',').message).toMatch(/^rule \d+ of \S+ selected/);
  });

  it('takes any iptables command at !, with its error at the column it is in', () => {
    const uid = atRule(start, UID);
    const made = type(press(uid, '!', 'ctrl-u'), '-t nat -N WHATIF\r');
    expect(made.whatIf?.applied).toHaveLength(1);
    const wrong = type(press(made, '!', 'ctrl-u'), '-t nat -Q X\r');
    expect(wrong.editError?.column).toBe(8);
    expect(wrong.whatIf).toBe(made.whatIf);
    const missing = type(press(made, '!', 'ctrl-u'), '-t nat -D NOSUCH 1\r');
    expect(missing.editError?.text).toMatch(/NOSUCH/);
    expect(editsLines(made.whatIf ?? start.whatIf!)).toContain(
      '  reviews: iptables -t nat -N WHATIF',
    );
  });

  it('sets a value of the world, toggles the proxy mode, and says both in the run', () => {
    const set = type(press(start, 'w'), 'hosts.reviews.processes.envoy.uid=1000\r');
    expect(set.message).toMatch(/^set hosts.reviews.processes.envoy.uid=1000/);
    // Envoy's gid still matches the gid-owner RETURN: with both changed, it loops.
    expect(loops(set)).toBe(false);
    const both = type(press(set, 'w'), 'hosts.reviews.processes.envoy.gid=1000\r');
    expect(loops(both)).toBe(true);
    expect(loops(press(both, 'u'))).toBe(false);
    const bad = type(press(start, 'w'), 'hosts.reviews.processes.nobody.uid=1\r');
    expect(bad.editError?.text).toMatch(/nobody/);
    const rewrite = press(start, 'R');
    expect(traceOf(rewrite).scenario).toMatch(/hypothesis/);
    expect(traceOf(press(rewrite, 'R')).scenario).toBe(trace.scenario);
  });

  it('lists the edits as a diff of the rules and as commands, and jumps between differences', () => {
    const two = press(atRule(press(atRule(start, UID), 'D'), GID), 'D');
    const lines = editsLines(two.whatIf ?? start.whatIf!);
    expect(lines).toContain('  - -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN');
    expect(lines).toContain('  - -A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN');
    expect(lines.some((l) => /reviews: iptables -t nat -D ISTIO_OUTPUT \d+/.test(l))).toBe(true);
    const { differences } = comparisonOf(two.whatIf ?? start.whatIf!);
    expect(differences.length).toBeGreaterThan(0);
    const first = press(reduce(two, traceOf(two), { type: 'goto', step: 0 }), '=', 'n');
    expect(first.overlay).toBe('none');
    expect(first.cursor).toBe(differences[0]?.step);
    expect(first.message).toMatch(/^difference 1 of \d+/);
    expect(press(first, '(').cursor).toBe(differences.at(-1)?.step);
  });
});
