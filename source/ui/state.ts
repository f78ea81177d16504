/**
 * The UI's state and how actions change it: a reducer, pure, so key handling is tested without
 * rendering. The cursor is an index into trace.steps; nothing is undone when it moves back.
 */
import type { Trace } from '../model/index.js';
import type { Action } from './keymap.js';

export type Pane = 'chain' | 'packet' | 'timeline';
export const PANES: readonly Pane[] = ['chain', 'packet', 'timeline'];

export type Overlay = 'none' | 'help' | 'goto' | 'search' | 'traffic';

export interface UiState {
  readonly cursor: number;
  readonly pane: Pane;
  /** Selected stack frame (index into the step's stack), or undefined for the step's own chain. */
  readonly frame?: number;
  /** Browsing the host's chains with { }: an offset into its list of chains. */
  readonly browse?: number;
  /** Scroll offset of the focused pane, relative to where it follows the cursor. */
  readonly scroll: number;
  /**
   * Columns the chain pane's rules are scrolled sideways by, to read long matches. Kept while
   * stepping: reading one long column down a chain is why it was scrolled.
   */
  readonly shift: number;
  readonly overlay: Overlay;
  /** The line typed so far in the goto or search prompt. */
  readonly input: string;
  readonly query: string;
  readonly message: string;
  /** Set by the quit key; the app exits when it sees it (the reducer has no side effects). */
  readonly quit?: boolean;
}

export const initialState: UiState = {
  cursor: 0,
  pane: 'chain',
  scroll: 0,
  shift: 0,
  overlay: 'none',
  input: '',
  query: '',
  message: '',
};

/** Whether step `step`'s searchable text contains `query`. */
export type SearchMatch = (query: string, step: number) => boolean;

/**
 * One key, already named and looked up in the keymap. Keys go through the reducer, not the
 * component, because a burst ("15\r") dispatches several before React renders: only the reducer
 * sees the state each earlier key left (a prompt opened, a digit typed).
 */
export interface KeyEvent {
  readonly type: 'key';
  readonly name: string;
  readonly action: Action | undefined;
  readonly page: number;
  readonly match: SearchMatch;
}

export type UiEvent =
  | KeyEvent
  | { readonly type: 'action'; readonly action: Action; readonly page: number }
  | { readonly type: 'goto'; readonly step: number }
  | { readonly type: 'search'; readonly query: string; readonly match: (i: number) => boolean }
  | { readonly type: 'close' };

/** Columns one < or > moves the rules: enough to get through a long match in a few keys. */
const SHIFT_STEP = 8;
/** Longer than any match line; stops > from piling up presses that < would have to undo. */
const MAX_SHIFT = 160;

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

function moveTo(state: UiState, cursor: number, message = ''): UiState {
  return { ...state, cursor, frame: undefined, browse: undefined, scroll: 0, message };
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

function act(state: UiState, trace: Trace, action: Action, page: number): UiState {
  const last = Math.max(0, trace.steps.length - 1);
  const stack = trace.steps[state.cursor]?.stack.length ?? 0;
  switch (action) {
    case 'stepForward':
      return state.cursor < last
        ? moveTo(state, state.cursor + 1)
        : { ...state, message: 'at the last step' };
    case 'stepBack':
      return state.cursor > 0
        ? moveTo(state, state.cursor - 1)
        : { ...state, message: 'at the first step' };
    case 'nextPacket':
    case 'prevPacket': {
      const to = firstStepOfPacket(trace, state.cursor, action === 'nextPacket' ? 1 : -1);
      return to === undefined ? { ...state, message: 'no more packets' } : moveTo(state, to);
    }
    case 'nextConnection':
    case 'prevConnection': {
      const to = firstStepOfConnection(trace, state.cursor, action === 'nextConnection' ? 1 : -1);
      return to === undefined ? { ...state, message: 'no more connections' } : moveTo(state, to);
    }
    case 'end':
      return moveTo(state, last);
    case 'start':
      return moveTo(state, 0);
    case 'focusNext':
    case 'focusPrev': {
      const i = PANES.indexOf(state.pane) + (action === 'focusNext' ? 1 : PANES.length - 1);
      return { ...state, pane: PANES[i % PANES.length] ?? 'chain', scroll: 0 };
    }
    case 'scrollDown':
      return { ...state, scroll: state.scroll + 1 };
    case 'scrollUp':
      return { ...state, scroll: state.scroll - 1 };
    case 'pageDown':
      return { ...state, scroll: state.scroll + page };
    case 'pageUp':
      return { ...state, scroll: state.scroll - page };
    case 'scrollRight':
      return { ...state, shift: Math.min(MAX_SHIFT, state.shift + SHIFT_STEP) };
    case 'scrollLeft':
      return { ...state, shift: Math.max(0, state.shift - SHIFT_STEP) };
    case 'frameOut': {
      if (stack === 0) return { ...state, message: 'no chain stack at this step' };
      const frame = clamp((state.frame ?? stack - 1) - 1, stack - 1);
      return { ...state, frame, scroll: 0 };
    }
    case 'frameIn': {
      if (state.frame === undefined) return state;
      const frame = state.frame + 1;
      return { ...state, frame: frame >= stack - 1 ? undefined : frame, scroll: 0 };
    }
    case 'nextChain':
      return { ...state, browse: (state.browse ?? -1) + 1, frame: undefined, scroll: 0 };
    case 'prevChain':
      return {
        ...state,
        browse: Math.max(0, (state.browse ?? 1) - 1),
        frame: undefined,
        scroll: 0,
      };
    case 'goto':
      return { ...state, overlay: 'goto', input: '' };
    case 'search':
      return { ...state, overlay: 'search', input: '' };
    case 'quit':
      return { ...state, quit: true };
    case 'traffic':
      return { ...state, overlay: 'traffic' };
    case 'help':
      return { ...state, overlay: state.overlay === 'help' ? 'none' : 'help' };
    default:
      return state;
  }
}

function search(state: UiState, trace: Trace, query: string, match: (i: number) => boolean) {
  for (let k = 1; k <= trace.steps.length; k++) {
    const i = (state.cursor + k) % trace.steps.length;
    if (match(i))
      return {
        ...moveTo(state, i, `found "${query}" at step ${i}`),
        overlay: 'none' as const,
        query,
      };
  }
  return { ...state, overlay: 'none' as const, query, message: `"${query}" not found` };
}

function close(state: UiState): UiState {
  return { ...state, overlay: 'none', input: '' };
}

/** Enter in a prompt: go to the typed step, or search the typed text (or the last query). */
function submit(state: UiState, trace: Trace, e: KeyEvent): UiState {
  if (state.overlay === 'goto') {
    const n = Number.parseInt(state.input, 10);
    return Number.isNaN(n) ? close(state) : reduce(state, trace, { type: 'goto', step: n });
  }
  const q = state.input.trim().toLowerCase() || state.query;
  if (!q) return close(state);
  return { ...search(state, trace, q, (i) => e.match(q, i)), input: '' };
}

/**
 * A key while the goto or search prompt is open: it edits the line, nothing else. The goto
 * prompt takes digits only, so a stray key (`[`) cannot end up in the step number.
 */
function promptKey(state: UiState, trace: Trace, e: KeyEvent): UiState {
  if (e.name === 'escape') return close(state);
  if (e.name === 'return') return submit(state, trace, e);
  if (e.name === 'backspace') return { ...state, input: state.input.slice(0, -1) };
  if (e.name.startsWith('ctrl-')) return e.action === 'quit' ? { ...state, quit: true } : state;
  const printable = [...e.name].length === 1 && e.name >= ' ';
  const accepted = state.overlay === 'goto' ? /^[0-9]$/.test(e.name) : printable;
  return accepted ? { ...state, input: state.input + e.name } : state;
}

function key(state: UiState, trace: Trace, e: KeyEvent): UiState {
  if (state.overlay === 'goto' || state.overlay === 'search') return promptKey(state, trace, e);
  if (
    state.overlay !== 'none' &&
    (e.name === 'escape' || (state.overlay === 'help' && e.name === 'q'))
  )
    return close(state);
  // The traffic picker owns the arrows and Enter while it is open.
  if (state.overlay === 'traffic') return state;
  if (e.action === 'searchNext') {
    const q = state.query;
    return q
      ? search(state, trace, q, (i) => e.match(q, i))
      : { ...state, message: 'no search yet' };
  }
  return e.action ? act(state, trace, e.action, e.page) : state;
}

export function reduce(state: UiState, trace: Trace, event: UiEvent): UiState {
  const last = Math.max(0, trace.steps.length - 1);
  switch (event.type) {
    case 'key':
      return key(state, trace, event);
    case 'action':
      return act(state, trace, event.action, event.page);
    case 'goto':
      return { ...moveTo(state, clamp(event.step, last)), overlay: 'none', input: '' };
    case 'close':
      return close(state);
    case 'search':
      return search(state, trace, event.query, event.match);
  }
}
