/**
 * The what-if commands of the reducer: open the editor on the ▶ rule, apply an edit and run the
 * scenario again, undo and redo. The cursor stays on the same step by its facts (see
 * step-identity.ts), and the footer says how close the step it lands on is.
 */
import type { Trace } from '../../model/index.js';
import {
  type Edit,
  moveRule,
  parseEdit,
  parseRuleLine,
  switchedOff,
  switchOff,
  switchOn,
} from '../../rules/edits/index.js';
import { diagnosticText } from '../../rules/index.js';
import { ruleSpecText } from '../../rules/save.js';
import { type Closeness, identityOf, locate } from '../../trace/step-identity.js';
import { parseSet } from '../../world/set-path.js';
import type { Command } from '../keymap.js';
import type { UiState } from '../state.js';
import { type ChainAt, chainAt } from '../view/chain-at.js';
import { type NftChainAt, nftChainAt } from '../view/nft-chain-at.js';
import { type EditError, type EditorTarget, NO_RULE } from './editor-target.js';
import { nftKeyAction } from './nft-rule-keys.js';
import {
  applyChange,
  type Change,
  proxyModeOf,
  redoChange,
  runOf,
  type Session,
  undoChange,
} from './session.js';

const WHERE: Readonly<Record<Closeness, string>> = {
  'same step': 'on the same step',
  'same chain': 'that step is gone: at its place in the same chain',
  'same hook': 'that step is gone: at the same hook',
  'same packet': "that step is gone: at its packet's first step",
  'same connection': "that packet is gone: at its connection's first step",
  nearest: 'that connection is gone: at the nearest step',
};

/** The state on `session`'s run, the cursor on the step it was on (or the nearest), and why. */
function rerun(
  state: UiState,
  trace: Trace,
  session: Session,
  what: string,
  row?: number,
): UiState {
  const next = runOf(session).trace;
  const found = locate(next, identityOf(trace, state.cursor), state.cursor);
  // A selected row stays on its rule where the chain stays in view.
  const inView = found.closeness === 'same step' || found.closeness === 'same chain';
  return {
    ...state,
    whatIf: session,
    overlay: 'none',
    input: '',
    editor: undefined,
    editError: undefined,
    cursor: found.index,
    frame:
      found.index === state.cursor && found.closeness === 'same step' ? state.frame : undefined,
    row: inView ? row : undefined,
    scroll: 0,
    message: `${what} · ${WHERE[found.closeness]} (step ${found.index})`,
  };
}

type Outcome = { ok: true; state: UiState } | { ok: false; error: EditError };

function change(state: UiState, trace: Trace, c: Change, what: string, row?: number): Outcome {
  const session = state.whatIf;
  if (!session) return { ok: false, error: { text: 'no scenario to edit' } };
  const done = applyChange(session, c);
  if (!done.ok) return { ok: false, error: { text: done.message } };
  if (!done.changed) return { ok: true, state: { ...close(state), message: `${what}: no change` } };
  return { ok: true, state: rerun(state, trace, done.session, what, row) };
}

const close = (state: UiState): UiState => ({
  ...state,
  overlay: 'none',
  input: '',
  editor: undefined,
  editError: undefined,
});

/** The chain pane's chain at the cursor, in the scenario the trace was run on. */
function shown(state: UiState, trace: Trace): ChainAt | undefined {
  if (!state.whatIf) return undefined;
  const { scenario } = runOf(state.whatIf);
  return chainAt(scenario, trace, state.cursor, state.frame, state.browse);
}

/** The chain pane's nft chain at the cursor, when it shows one. */
function nftShown(state: UiState, trace: Trace): NftChainAt | undefined {
  if (!state.whatIf) return undefined;
  const { scenario } = runOf(state.whatIf);
  return nftChainAt(scenario, trace, state.cursor, state.frame, state.browse);
}

function openEditor(state: UiState, target: EditorTarget, input: string): UiState {
  return { ...state, overlay: 'edit', editor: target, input, editError: undefined, message: '' };
}

/** A rule edit of the chain shown; `row`: the row to keep selected after it (the moved rule). */
function ruleEdit(
  state: UiState,
  trace: Trace,
  at: ChainAt,
  edit: Edit | undefined,
  what: string,
  row = state.row,
) {
  if (!edit) return { ...state, message: `${what}: not possible here` };
  const done = change(state, trace, { kind: 'rules', edit: { host: at.host, edit } }, what, row);
  return done.ok ? done.state : { ...state, message: done.error.text };
}

/** `-t nat -I CHAIN n ` and kin: the command line a key opens the prompt with. */
const commandLine = (at: ChainAt, words: string) => `-t ${at.table.name} ${words} `;

/** The rules of the chain shown, as the row keys see them (an iptables or an nft chain). */
interface Rows {
  readonly name: string;
  readonly count: number;
  readonly currentRow?: number;
}

const rowsOf = (at: ChainAt | NftChainAt): Rows => ({
  name: at.chain.name,
  count: at.chain.rules.length,
  ...(at.currentRow !== undefined && { currentRow: at.currentRow }),
});

/** The row the edit keys act on: the one selected with . and , else the ▶ rule. */
function rowOf(state: UiState, at: Rows): number | undefined {
  const last = at.count - 1;
  if (state.row !== undefined) return last < 0 ? undefined : Math.min(state.row, last);
  return at.currentRow;
}

/** . and , : the next or previous rule of the chain shown, from the ▶ rule if none is selected. */
function selectRow(state: UiState, at: Rows, dir: 1 | -1): UiState {
  const { count } = at;
  if (count === 0) return { ...state, message: `${at.name} has no rules to select` };
  const from = rowOf(state, at) ?? (dir === 1 ? -1 : count);
  const row = Math.max(0, Math.min(count - 1, from + dir));
  return {
    ...state,
    row,
    message: `rule ${row + 1} of ${at.name} selected: e i a D x J K act on it`,
  };
}

/** The edit keys on an nft chain: nft commands to finish in the prompt, or run at once. */
function onNftRule(state: UiState, trace: Trace, command: Command, at: NftChainAt): UiState {
  if (command === 'row.next' || command === 'row.prev')
    return selectRow(state, rowsOf(at), command === 'row.next' ? 1 : -1);
  const action = nftKeyAction(command, at, rowOf(state, rowsOf(at)));
  const family = at.table.family === 'ip6' ? 'ipv6' : 'ipv4';
  if (action.kind === 'prompt')
    return openEditor(state, { kind: 'command', host: at.host, family }, action.line);
  if (action.kind === 'message') return { ...state, message: action.text };
  const parsed = parseEdit(action.command, family);
  if (!parsed.ok) return { ...state, message: `${action.what}: not possible here` };
  const edit = { host: at.host, edit: parsed.edit };
  const done = change(state, trace, { kind: 'rules', edit }, action.what);
  return done.ok ? done.state : { ...state, message: done.error.text };
}

function onRule(state: UiState, trace: Trace, command: Command, at: ChainAt): UiState {
  if (command === 'row.next' || command === 'row.prev')
    return selectRow(state, rowsOf(at), command === 'row.next' ? 1 : -1);
  const row = rowOf(state, rowsOf(at));
  const rule = row === undefined ? undefined : at.chain.rules[row];
  const target = { host: at.host, family: at.ruleset.family };
  const chain = at.chain.name;
  const { ruleset } = at;
  const table = at.table.name;
  switch (command) {
    case 'rule.insert':
      return openEditor(
        state,
        { kind: 'command', ...target },
        commandLine(at, row === undefined ? `-A ${chain}` : `-I ${chain} ${row + 1}`),
      );
    case 'rule.append': {
      const after = row === undefined || row + 1 >= at.chain.rules.length;
      const words = after ? `-A ${chain}` : `-I ${chain} ${(row ?? 0) + 2}`;
      return openEditor(state, { kind: 'command', ...target }, commandLine(at, words));
    }
    case 'chain.policy':
      return at.chain.builtin
        ? openEditor(state, { kind: 'command', ...target }, commandLine(at, `-P ${chain}`))
        : { ...state, message: `${chain} is a user chain: only built-in chains have a policy` };
    case 'rule.on': {
      const off = (state.whatIf ? switchedOff(state.whatIf.rules) : []).filter(
        (o) => o.host === at.host && o.edit.table === table && o.edit.chain === chain,
      );
      const last = off[off.length - 1];
      if (!last) return { ...state, message: `no rule of ${chain} is switched off` };
      return ruleEdit(state, trace, at, switchOn(last.edit), 'switched back on');
    }
    default:
      break;
  }
  if (row === undefined || !rule) return { ...state, message: NO_RULE };
  const n = row + 1;
  switch (command) {
    case 'rule.edit':
      return openEditor(
        state,
        { kind: 'rule', ...target, table, chain, index: n },
        `-A ${chain} ${ruleSpecText(rule)}`,
      );
    case 'rule.delete':
      return ruleEdit(
        state,
        trace,
        at,
        { op: 'delete', family: ruleset.family, table, chain, index: n },
        `deleted rule ${n} of ${chain}`,
      );
    case 'rule.off':
      return ruleEdit(
        state,
        trace,
        at,
        switchOff(ruleset, table, chain, n),
        `switched rule ${n} of ${chain} off`,
      );
    case 'rule.up':
    case 'rule.down': {
      const [to, way] = command === 'rule.up' ? [n - 1, 'up'] : [n + 1, 'down'];
      const edit = moveRule(ruleset, table, chain, n, to);
      const follow = state.row === undefined ? undefined : to - 1;
      return ruleEdit(state, trace, at, edit, `moved rule ${n} of ${chain} ${way}`, follow);
    }
    default:
      return state;
  }
}

/** The host a command line names (`HOST: ARGS`), else the one the prompt was opened on. */
function hostOf(line: string, fallback: string): { host: string; args: string; offset: number } {
  const prefix = /^\s*([A-Za-z0-9_.-]+):\s+/.exec(line);
  if (!prefix?.[1]) return { host: fallback, args: line, offset: 0 };
  return { host: prefix[1], args: line.slice(prefix[0].length), offset: prefix[0].length };
}

/** The edit the line asks for, or the first error in it (at its column in the line). */
function readLine(
  state: UiState,
  target: EditorTarget,
): { change: Change; what: string } | EditError {
  const line = state.input;
  if (target.kind === 'set') {
    const parsed = parseSet(line.trim());
    return parsed.ok
      ? { change: { kind: 'set', set: parsed.set }, what: `set ${line.trim()}` }
      : { text: parsed.message };
  }
  const { host, args, offset } =
    target.kind === 'command'
      ? hostOf(line, target.host)
      : { host: target.host, args: line, offset: 0 };
  const parsed =
    target.kind === 'rule'
      ? parseRuleLine(args, target.family, { ...target, mode: 'replace' })
      : parseEdit(args, target.family);
  if (!parsed.ok) {
    const d = parsed.diagnostics.find((x) => x.severity === 'error') ?? parsed.diagnostics[0];
    return d
      ? { column: d.pos.column + offset, text: diagnosticText(d) }
      : { text: 'the line is not an edit' };
  }
  const what =
    target.kind === 'rule' ? `replaced rule ${target.index} of ${target.chain}` : args.trim();
  return { change: { kind: 'rules', edit: { host, edit: parsed.edit } }, what };
}

/** Enter in the edit prompt: the edit applied and run, or its error in place and nothing changed. */
export function acceptEdit(state: UiState, trace: Trace): UiState {
  const target = state.editor;
  if (!target) return close(state);
  const read = readLine(state, target);
  if (!('change' in read)) return { ...state, editError: read };
  const done = change(state, trace, read.change, read.what);
  return done.ok ? done.state : { ...state, editError: done.error };
}

/** The what-if commands; undefined for any other command. */
export function whatIfCommand(state: UiState, trace: Trace, command: Command): UiState | undefined {
  const session = state.whatIf;
  switch (command) {
    case 'whatif.undo':
    case 'whatif.redo': {
      const undoing = command === 'whatif.undo';
      const next = session && (undoing ? undoChange(session) : redoChange(session));
      if (next) return rerun(state, trace, next, undoing ? 'undone' : 'redone');
      return { ...state, message: `nothing to ${undoing ? 'undo' : 'redo'}` };
    }
    case 'world.set':
      return openEditor(state, { kind: 'set' }, '');
    case 'proxy.toggle': {
      if (!session) return { ...state, message: 'no scenario to edit' };
      if (proxyModeOf(runOf(session).scenario) === 'none')
        return { ...state, message: 'no envoy in the scenario: no proxy mode to change' };
      const mode = proxyModeOf(runOf(session).scenario) === 'rewrite' ? 'terminate' : 'rewrite';
      const what =
        mode === 'rewrite'
          ? "envoy rewrites packets: nfdb's hypothesis, no kernel to compare with"
          : 'envoy terminates connections, as envoy does';
      const done = change(state, trace, { kind: 'proxy', mode }, what);
      return done.ok ? done.state : { ...state, message: done.error.text };
    }
    case 'command.open': {
      const at = shown(state, trace);
      const step = trace.steps[state.cursor];
      const host = at?.host ?? step?.host ?? trace.hosts[0] ?? '';
      const family = at?.ruleset.family ?? step?.packet.family ?? 'ipv4';
      return openEditor(state, { kind: 'command', host, family }, at ? `-t ${at.table.name} ` : '');
    }
    case 'row.next':
    case 'row.prev':
    case 'rule.edit':
    case 'rule.insert':
    case 'rule.append':
    case 'rule.delete':
    case 'rule.off':
    case 'rule.on':
    case 'rule.up':
    case 'rule.down':
    case 'chain.policy': {
      const at = shown(state, trace);
      if (at) return onRule(state, trace, command, at);
      const nft = state.whatIf && nftShown(state, trace);
      return nft
        ? onNftRule(state, trace, command, nft)
        : { ...state, message: 'no chain at this step' };
    }
    default:
      return undefined;
  }
}
