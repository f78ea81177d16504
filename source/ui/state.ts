/**
 * The UI's state and how actions change it: a reducer, pure, so key handling is tested without
 * rendering. The cursor is an index into trace.steps; nothing is undone when it moves back.
 */
import type { Trace } from '../trace/types.js';
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
  readonly overlay: Overlay;
  readonly query: string;
  readonly message: string;
}

export const initialState: UiState = {
  cursor: 0,
  pane: 'chain',
  scroll: 0,
  overlay: 'none',
  query: '',
  message: '',
};

export type UiEvent =
  | { readonly type: 'action'; readonly action: Action; readonly page: number }
  | { readonly type: 'goto'; readonly step: number }
  | { readonly type: 'search'; readonly query: string; readonly match: (i: number) => boolean }
  | { readonly type: 'close' };

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
  const before = firsts.filter((s, i) => (trace.connections[i]?.id ?? 0) < current);
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
      return { ...state, overlay: 'goto' };
    case 'search':
      return { ...state, overlay: 'search' };
    case 'traffic':
      return { ...state, overlay: 'traffic' };
    case 'help':
      return { ...state, overlay: state.overlay === 'help' ? 'none' : 'help' };
    default:
      return state;
  }
}

export function reduce(state: UiState, trace: Trace, event: UiEvent): UiState {
  const last = Math.max(0, trace.steps.length - 1);
  switch (event.type) {
    case 'action':
      return act(state, trace, event.action, event.page);
    case 'goto':
      return { ...moveTo(state, clamp(event.step, last)), overlay: 'none' };
    case 'close':
      return { ...state, overlay: 'none' };
    case 'search': {
      for (let k = 1; k <= trace.steps.length; k++) {
        const i = (state.cursor + k) % trace.steps.length;
        if (event.match(i))
          return {
            ...moveTo(state, i, `found "${event.query}" at step ${i}`),
            overlay: 'none',
            query: event.query,
          };
      }
      return {
        ...state,
        overlay: 'none',
        query: event.query,
        message: `"${event.query}" not found`,
      };
    }
  }
}
