/**
 * The UI's state and how commands change it: a reducer, pure, so key handling is tested without
 * rendering. The cursor is an index into trace.steps; nothing is undone when it moves back.
 */
import type { Trace } from '../model/index.js';
import { type AddTrafficUi, addTrafficCommand, addTrafficTyped } from './add-traffic/commands.js';
import { type Command, commandFor, type Keymap, type Mode } from './keymap.js';
import { type Caret, editLine, type LineEdit, typeAt } from './prompt-line.js';
import { realCommand } from './real/commands.js';
import type { RealPaths } from './real/feed.js';
import {
  initialSnapshotUi,
  isSnapshotMode,
  type SnapshotEvent,
  type SnapshotUi,
  snapshotCommand,
  snapshotEvent,
  snapshotTyped,
} from './snapshot/commands.js';
import type { FindingTarget } from './view/findings-lines.js';
import { maxScroll, scrollWindow } from './view/scroll-window.js';
import { trafficItems, trafficStep } from './view/traffic-items.js';
import { acceptEdit, whatIfCommand } from './what-if/commands.js';
import { comparisonOf } from './what-if/compare.js';
import type { EditError, EditorTarget } from './what-if/editor-target.js';
import type { Session } from './what-if/session.js';

/** The caret's commands, as the prompt line's edits. */
const LINE_EDITS = {
  'prompt.backspace': 'backspace',
  'prompt.delete': 'delete',
  'prompt.word': 'word',
  'prompt.left': 'left',
  'prompt.right': 'right',
  'prompt.home': 'home',
  'prompt.end': 'end',
} as const satisfies Partial<Record<Command, LineEdit>>;

export type Pane = 'chain' | 'packet' | 'timeline';
export const PANES: readonly Pane[] = ['chain', 'packet', 'timeline'];

/** What is over the panes: nothing, or the overlay whose keys are in force (its mode). */
export type Overlay = 'none' | Exclude<Mode, 'browse'>;

export interface UiState {
  readonly cursor: number;
  readonly pane: Pane;
  /** Selected stack frame (index into the step's stack), or undefined for the step's own chain. */
  readonly frame?: number;
  /** Browsing the host's chains with { }: an offset into its list of chains. */
  readonly browse?: number;
  /**
   * The row of the chain shown that the what-if keys act on (. and , select it); undefined for
   * the ▶ rule. Any move of the cursor or of the chain shown lets it go.
   */
  readonly row?: number;
  /** Scroll offset of the focused pane, relative to where it follows the cursor. */
  readonly scroll: number;
  /**
   * Columns the chain pane's rules are scrolled sideways by, to read long matches. Kept while
   * stepping: reading one long column down a chain is why it was scrolled.
   */
  readonly shift: number;
  readonly overlay: Overlay;
  /** Lines the help overlay is scrolled down by; it opens at its top. */
  readonly helpScroll: number;
  /** The selected finding (an index into the findings that have a step). */
  readonly finding: number;
  /** Rows the findings view is scrolled down by; selecting a finding scrolls it into view. */
  readonly findingsScroll: number;
  /** The line typed so far in the goto or search prompt. */
  readonly input: string;
  /** Where the caret is in the line, when it was moved from the end (see prompt-line.ts). */
  readonly caret?: Caret;
  readonly query: string;
  /** The traffic item the picker has selected (an index into trafficItems). */
  readonly picked: number;
  readonly message: string;
  /**
   * The what-if session: the scenario as loaded and the edits made to it. The trace shown is its
   * run (the app simulates it); undefined where nothing can be edited.
   */
  readonly whatIf?: Session;
  /** What the edit prompt's line is for, while it is open. */
  readonly editor?: EditorTarget;
  /** Why the last Enter in the edit prompt changed nothing, shown under the line. */
  readonly editError?: EditError;
  /** Lines the edits or compare view is scrolled down by. */
  readonly listScroll: number;
  /** The digits of a traced connection's number typed so far in the L view. */
  readonly realNumber?: string;
  /** The notes, the save and open overlays, and the save or open the app is to do. */
  readonly snapshot: SnapshotUi;
  /** Adding traffic (T): where the overlay is, while it is open. */
  readonly addTraffic?: AddTrafficUi;
  /** A report the app is to write (`r`): a new object per request, so each is written once. */
  readonly report?: { readonly requested: true };
  /** Set by the quit command; the app exits when it sees it (the reducer has no side effects). */
  readonly quit?: boolean;
}

export const initialState: UiState = {
  cursor: 0,
  pane: 'chain',
  scroll: 0,
  shift: 0,
  overlay: 'none',
  helpScroll: 0,
  finding: 0,
  findingsScroll: 0,
  input: '',
  query: '',
  picked: 0,
  message: '',
  listScroll: 0,
  snapshot: initialSnapshotUi,
};

/** Whether step `step`'s searchable text contains `query`. */
export type SearchMatch = (query: string, step: number) => boolean;
/** In a span of rules the search found, the row (rule index) of the first rule it found. */
export type SearchRow = (query: string, step: number) => number | undefined;

/** What a command needs from the screen: how far a page is, and how to search the steps. */
export interface CommandContext {
  readonly page: number;
  readonly match: SearchMatch;
  readonly rowOf?: SearchRow;
  /** The real paths the L view shows (`nfdb live --trace`), for its keys that add one. */
  readonly real?: RealPaths;
  /**
   * How far the packet panel and the help scroll at the screen's size, so a key pressed past
   * the end is not one more to undo before the other way moves. Unbounded when not given.
   */
  readonly scrollMax?: {
    readonly packet: number;
    readonly help: number;
    readonly findings?: number;
    /** The edits or compare view, whichever is open. */
    readonly list?: number;
  };
  /**
   * The findings view at the screen's size: its rows for text, and where each finding with a
   * step is, so selecting one scrolls it into view and Enter knows its step.
   */
  readonly findings?: {
    readonly fit: number;
    readonly rows: number;
    readonly targets: readonly FindingTarget[];
  };
  /**
   * How far the chain and the timeline scroll up (min) and down (max) from where they follow
   * the cursor, for the same reason. Unbounded when not given.
   */
  readonly followBounds?: Readonly<Record<'chain' | 'timeline', ScrollBounds>>;
}

export interface ScrollBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * One key, by name. Keys go through the reducer, not the component, because a burst ("15\r")
 * dispatches several before React renders: only the reducer sees the mode each earlier key left
 * (a prompt opened, a digit typed), and the mode decides which command a key is.
 */
export interface KeyEvent extends CommandContext {
  readonly type: 'key';
  readonly name: string;
  readonly keymap: Keymap;
}

export type UiEvent =
  | KeyEvent
  | ({ readonly type: 'command'; readonly command: Command } & CommandContext)
  | { readonly type: 'goto'; readonly step: number }
  | { readonly type: 'search'; readonly query: string; readonly match: (i: number) => boolean }
  | { readonly type: 'close' }
  /** The report asked for is written, or not: the message says which files, or why. */
  | { readonly type: 'report'; readonly message: string }
  | SnapshotEvent;

/** Columns one < or > moves the rules: enough to get through a long match in a few keys. */
const SHIFT_STEP = 8;
/** Longer than any match line; stops > from piling up presses that < would have to undo. */
const MAX_SHIFT = 160;

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

export function modeOf(state: UiState): Mode {
  return state.overlay === 'none' ? 'browse' : state.overlay;
}

function moveTo(state: UiState, cursor: number, message = ''): UiState {
  return {
    ...state,
    cursor,
    frame: undefined,
    browse: undefined,
    row: undefined,
    scroll: 0,
    message,
  };
}

function firstStepOfPacket(trace: Trace, from: number, dir: 1 | -1): number | undefined {
  const current = trace.steps[from]?.packetId ?? 0;
  const starts = trace.packets.map((p) => p.firstStep);
  if (dir === 1) return starts.find((s) => (trace.steps[s]?.packetId ?? 0) > current);
  const here = trace.packets[current - 1]?.firstStep ?? 0;
  const target = from > here ? here : trace.packets[current - 2]?.firstStep;
  return target;
}

function firstStepOfConnection(trace: Trace, from: number, dir: 1 | -1): number | undefined {
  const current = trace.steps[from]?.connectionId ?? 0;
  const firsts = trace.connections.map(
    (c) => trace.packets.find((p) => p.connectionId === c.id)?.firstStep ?? 0,
  );
  if (dir === 1) return firsts.find((s, i) => (trace.connections[i]?.id ?? 0) > current && s >= 0);
  const before = firsts.filter((_s, i) => (trace.connections[i]?.id ?? 0) < current);
  return before[before.length - 1];
}

/** Moving the cursor: steps, packets, connections, the ends. */
function move(state: UiState, trace: Trace, command: Command): UiState {
  const last = Math.max(0, trace.steps.length - 1);
  switch (command) {
    case 'step.next':
      return state.cursor < last
        ? moveTo(state, state.cursor + 1)
        : { ...state, message: 'at the last step' };
    case 'step.prev':
      return state.cursor > 0
        ? moveTo(state, state.cursor - 1)
        : { ...state, message: 'at the first step' };
    case 'packet.next':
    case 'packet.prev': {
      const to = firstStepOfPacket(trace, state.cursor, command === 'packet.next' ? 1 : -1);
      return to === undefined ? { ...state, message: 'no more packets' } : moveTo(state, to);
    }
    case 'connection.next':
    case 'connection.prev': {
      const dir = command === 'connection.next' ? 1 : -1;
      const to = firstStepOfConnection(trace, state.cursor, dir);
      return to === undefined ? { ...state, message: 'no more connections' } : moveTo(state, to);
    }
    case 'step.last':
      return moveTo(state, last);
    case 'step.first':
      return moveTo(state, 0);
    default:
      return state;
  }
}

/** The focused pane's scroll moved by `by`, within its lines where the screen says how far. */
function scrolled(state: UiState, by: number, c: CommandContext): UiState {
  const scroll = state.scroll + by;
  if (state.pane === 'packet')
    return { ...state, scroll: c.scrollMax ? clamp(scroll, c.scrollMax.packet) : scroll };
  const bounds = c.followBounds?.[state.pane];
  if (!bounds) return { ...state, scroll };
  return { ...state, scroll: Math.max(bounds.min, Math.min(scroll, bounds.max)) };
}

/** Looking around without moving the cursor: panes, scrolling, stack frames, other chains. */

function look(state: UiState, trace: Trace, command: Command, c: CommandContext): UiState {
  const stack = trace.steps[state.cursor]?.stack.length ?? 0;
  const page = c.page;
  switch (command) {
    case 'pane.next':
    case 'pane.prev': {
      const i = PANES.indexOf(state.pane) + (command === 'pane.next' ? 1 : PANES.length - 1);
      return { ...state, pane: PANES[i % PANES.length] ?? 'chain', scroll: 0 };
    }
    case 'scroll.down':
      return scrolled(state, 1, c);
    case 'scroll.up':
      return scrolled(state, -1, c);
    case 'page.down':
      return scrolled(state, page, c);
    case 'page.up':
      return scrolled(state, -page, c);
    case 'scroll.right':
      return { ...state, shift: Math.min(MAX_SHIFT, state.shift + SHIFT_STEP) };
    case 'scroll.left':
      return { ...state, shift: Math.max(0, state.shift - SHIFT_STEP) };
    case 'frame.out': {
      if (stack === 0) return { ...state, message: 'no chain stack at this step' };
      const frame = clamp((state.frame ?? stack - 1) - 1, stack - 1);
      return { ...state, frame, row: undefined, scroll: 0 };
    }
    case 'frame.in': {
      if (state.frame === undefined) return state;
      const frame = state.frame + 1;
      return {
        ...state,
        frame: frame >= stack - 1 ? undefined : frame,
        row: undefined,
        scroll: 0,
      };
    }
    case 'chain.next':
      return {
        ...state,
        browse: (state.browse ?? -1) + 1,
        frame: undefined,
        row: undefined,
        scroll: 0,
      };
    case 'chain.prev':
      return {
        ...state,
        browse: Math.max(0, (state.browse ?? 1) - 1),
        frame: undefined,
        row: undefined,
        scroll: 0,
      };
    default:
      return move(state, trace, command);
  }
}

function run(state: UiState, trace: Trace, command: Command, c: CommandContext): UiState {
  const edited = whatIfCommand(state, trace, command);
  if (edited) return edited;
  const snapshot = snapshotCommand(state, command);
  if (snapshot) return snapshot;
  const adding = addTrafficCommand(state, command, modeOf(state));
  if (adding) return adding;
  const real = realCommand(state, command, c);
  if (real) return real;
  switch (command) {
    case 'report.write':
      return { ...state, report: { requested: true }, message: 'writing the report…' };
    case 'edits.toggle':
    case 'compare.toggle':
    case 'real.toggle': {
      const overlay =
        command === 'edits.toggle' ? 'edits' : command === 'real.toggle' ? 'real' : 'compare';
      return state.overlay === overlay
        ? close(state)
        : { ...state, overlay, listScroll: 0, realNumber: undefined };
    }
    case 'list.down':
    case 'list.up':
    case 'list.page.down':
    case 'list.page.up': {
      const by = (command.includes('page') ? c.page : 1) * (command.endsWith('down') ? 1 : -1);
      const max = c.scrollMax?.list ?? Number.POSITIVE_INFINITY;
      return { ...state, listScroll: clamp(state.listScroll + by, max) };
    }
    case 'list.close':
      return close(state);
    case 'difference.next':
    case 'difference.prev':
      return difference(state, command === 'difference.next' ? 1 : -1);
    case 'prompt.clear':
      return { ...state, input: '', editError: undefined };
    case 'goto.open':
      return { ...state, overlay: 'goto', input: '' };
    case 'search.open':
      return { ...state, overlay: 'search', input: '' };
    case 'search.next': {
      const q = state.query;
      return q
        ? search(state, trace, q, (i) => c.match(q, i), c.rowOf && ((i) => c.rowOf?.(q, i)))
        : { ...state, message: 'no search yet' };
    }
    case 'traffic.open':
      return { ...state, overlay: 'traffic', picked: 0 };
    case 'picker.next':
    case 'picker.prev': {
      const last = trafficItems(trace).length - 1;
      const picked = clamp(state.picked + (command === 'picker.next' ? 1 : -1), last);
      return { ...state, picked };
    }
    case 'help.toggle':
      return { ...state, overlay: state.overlay === 'help' ? 'none' : 'help', helpScroll: 0 };
    case 'help.down':
    case 'help.up':
    case 'help.page.down':
    case 'help.page.up': {
      const by = command.includes('page') ? c.page : 1;
      const dir = command.endsWith('down') ? 1 : -1;
      return {
        ...state,
        helpScroll: clamp(
          state.helpScroll + dir * by,
          c.scrollMax?.help ?? Number.POSITIVE_INFINITY,
        ),
      };
    }
    case 'findings.toggle':
      return state.overlay === 'findings' ? close(state) : { ...state, overlay: 'findings' };
    case 'findings.next':
    case 'findings.prev':
    case 'findings.page.down':
    case 'findings.page.up':
    case 'findings.jump':
      return findings(state, trace, command, c);
    case 'findings.close':
    case 'help.close':
    case 'prompt.cancel':
      return close(state);
    case 'prompt.accept':
      return accept(state, trace, c);
    case 'prompt.backspace':
    case 'prompt.delete':
    case 'prompt.word':
      return { ...state, ...editLine(state, LINE_EDITS[command]), editError: undefined };
    case 'prompt.left':
    case 'prompt.right':
    case 'prompt.home':
    case 'prompt.end':
      return { ...state, ...editLine(state, LINE_EDITS[command]) };
    case 'quit':
      return { ...state, quit: true };
    default:
      return look(state, trace, command, c);
  }
}

/** The findings view's keys: select a finding (scrolling it into view), page, jump to its step. */
function findings(state: UiState, trace: Trace, command: Command, c: CommandContext): UiState {
  const targets = c.findings?.targets ?? [];
  const fit = c.findings?.fit ?? 1;
  const max = c.scrollMax?.findings ?? Number.POSITIVE_INFINITY;
  if (command === 'findings.page.down' || command === 'findings.page.up') {
    const by = (command === 'findings.page.down' ? 1 : -1) * Math.max(1, fit - 1);
    return { ...state, findingsScroll: clamp(state.findingsScroll + by, max) };
  }
  if (targets.length === 0) return { ...state, message: 'no finding has a step to go to' };
  if (command === 'findings.jump') {
    const target = targets[clamp(state.finding, targets.length - 1)];
    if (!target) return state;
    const moved = reduce(state, trace, { type: 'goto', step: target.step });
    return { ...moved, message: `finding at step ${target.step}` };
  }
  const dir = command === 'findings.next' ? 1 : -1;
  const finding = clamp(state.finding + dir, targets.length - 1);
  // Past the first or last finding the keys scroll on, to the warnings below the last.
  if (finding === state.finding)
    return { ...state, findingsScroll: clamp(state.findingsScroll + dir, max) };
  const target = targets[finding];
  const rows = c.findings?.rows ?? 0;
  const findingsScroll = target ? reveal(state.findingsScroll, target, fit, rows) : 0;
  return { ...state, finding, findingsScroll };
}

/** The least scroll from `scroll` that shows all of `target`'s rows (or its first, if too tall). */
function reveal(scroll: number, target: FindingTarget, fit: number, total: number): number {
  const end = maxScroll(total, fit);
  const shown = (s: number) => scrollWindow(total, fit, s);
  let s = clamp(scroll, end);
  if (target.first < shown(s).start) return target.first;
  while (s < end && shown(s).end <= target.last && shown(s + 1).start <= target.first) s++;
  return s;
}

/**
 * The next step after the cursor the query matches. A span is found by a rule it passed over:
 * that rule's row is selected, so the keys that act on a rule (e, D, x) act on the one found.
 */
function search(
  state: UiState,
  trace: Trace,
  query: string,
  match: (i: number) => boolean,
  rowOf?: (i: number) => number | undefined,
) {
  for (let k = 1; k <= trace.steps.length; k++) {
    const i = (state.cursor + k) % trace.steps.length;
    if (match(i)) {
      const row = rowOf?.(i);
      return {
        ...moveTo(state, i, `found "${query}" at step ${i}`),
        ...(row !== undefined && { row }),
        overlay: 'none' as const,
        query,
      };
    }
  }
  return { ...state, overlay: 'none' as const, query, message: `"${query}" not found` };
}

function close(state: UiState): UiState {
  return { ...state, overlay: 'none', input: '', editor: undefined, editError: undefined };
}

/**
 * The next (or previous) step of the what-if where a connection's path first differs from the
 * original run, round the ends; the view closes so the step is seen.
 */
function difference(state: UiState, dir: 1 | -1): UiState {
  const all = state.whatIf ? comparisonOf(state.whatIf).differences : [];
  if (all.length === 0) return { ...state, message: 'no path differs from the original run' };
  const after = all.findIndex((d) => d.step > state.cursor);
  const before = all.findLastIndex((d) => d.step < state.cursor);
  const i = dir === 1 ? (after < 0 ? 0 : after) : before < 0 ? all.length - 1 : before;
  const d = all[i];
  if (!d) return state;
  return {
    ...moveTo(close(state), d.step),
    message: `difference ${i + 1} of ${all.length}: ${d.text} (step ${d.step})`,
  };
}

/** Accepting a prompt: go to the typed step, or search the typed text (or the last query). */
function accept(state: UiState, trace: Trace, c: CommandContext): UiState {
  if (state.overlay === 'edit') return acceptEdit(state, trace);
  if (state.overlay === 'traffic') {
    const item = trafficItems(trace)[state.picked];
    return item
      ? reduce(close(state), trace, { type: 'goto', step: trafficStep(trace, item) })
      : close(state);
  }
  if (state.overlay === 'goto') {
    const n = Number.parseInt(state.input, 10);
    return Number.isNaN(n) ? close(state) : reduce(state, trace, { type: 'goto', step: n });
  }
  const q = state.input.trim().toLowerCase() || state.query;
  if (!q) return close(state);
  const rowOf = c.rowOf && ((i: number) => c.rowOf?.(q, i));
  return { ...search(state, trace, q, (i) => c.match(q, i), rowOf), input: '' };
}

/**
 * A key no command takes, typed into the goto or search prompt. The goto prompt takes digits
 * only, so a stray key (`[`) cannot end up in the step number; named keys (arrows, ctrl-x) are
 * never typed.
 */
function typed(state: UiState, char: string): UiState {
  const printable = [...char].length === 1 && char >= ' ';
  const digit = printable && char >= '0' && char <= '9';
  const accepted = state.overlay === 'goto' ? digit : printable;
  return accepted ? { ...state, ...typeAt(state, char), editError: undefined } : state;
}

function key(state: UiState, trace: Trace, e: KeyEvent): UiState {
  const mode = modeOf(state);
  const command = commandFor(e.keymap, mode, e.name);
  if (command) return run(state, trace, command, e);
  if (isSnapshotMode(mode)) return snapshotTyped(state, e.name);
  if (mode === 'add-traffic-to') return addTrafficTyped(state, e.name);
  return mode === 'goto' || mode === 'search' || mode === 'edit' ? typed(state, e.name) : state;
}

export function reduce(state: UiState, trace: Trace, event: UiEvent): UiState {
  const last = Math.max(0, trace.steps.length - 1);
  switch (event.type) {
    case 'key':
      return key(state, trace, event);
    case 'command':
      return run(state, trace, event.command, event);
    case 'goto':
      return { ...moveTo(state, clamp(event.step, last)), overlay: 'none', input: '' };
    case 'close':
      return close(state);
    case 'search':
      return search(state, trace, event.query, event.match);
    case 'snapshot':
      return snapshotEvent(state, event);
    case 'report':
      return { ...state, report: undefined, message: event.message };
  }
}
