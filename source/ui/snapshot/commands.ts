/**
 * The snapshot keys as a part of the reducer: `s` asks for a name and saves, asking before it
 * overwrites; `o` lists the library and opens the picked snapshot; `#` edits the notes. What
 * needs I/O is left in the state as a pending effect, which the app performs and answers with a
 * SnapshotEvent (bubbletea's commands: effects are values).
 */
import type { Command, Mode } from '../keymap.js';
import { typeAt } from '../prompt-line.js';
import type { UiState } from '../state.js';
import type { SaveResult, SnapshotEntry } from './types.js';

/** What the app is to do; a new object per request, so each is done once. */
export type SnapshotEffect =
  | { readonly kind: 'list' }
  /** An empty name is the suggested one (a timestamp the app knows). */
  | { readonly kind: 'save'; readonly name: string; readonly force: boolean }
  | { readonly kind: 'open'; readonly path: string };

export interface SnapshotUi {
  /** The investigation's notes as the editor leaves them; saved with the snapshot. */
  readonly notes: string;
  /** The name waiting for an answer to "overwrite?". */
  readonly overwriting?: string;
  /** What the picker lists, once the library has answered. */
  readonly library?: readonly SnapshotEntry[];
  /** The picker's selection, an index into library. */
  readonly pick: number;
  readonly pending?: SnapshotEffect;
}

export const initialSnapshotUi: SnapshotUi = { notes: '', pick: 0 };

/** The library's answers to the effects. */
export type SnapshotEvent =
  | {
      readonly type: 'snapshot';
      readonly done: 'listed';
      readonly entries: readonly SnapshotEntry[];
    }
  | {
      readonly type: 'snapshot';
      readonly done: 'saved';
      readonly name: string;
      readonly result: SaveResult;
    }
  | { readonly type: 'snapshot'; readonly done: 'failed'; readonly message: string };

const SNAPSHOT_MODES: readonly Mode[] = ['save', 'overwrite', 'open', 'notes'];
export const isSnapshotMode = (mode: Mode) => SNAPSHOT_MODES.includes(mode);

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

function withSnapshot(state: UiState, change: Partial<SnapshotUi>, rest: Partial<UiState> = {}) {
  return { ...state, ...rest, snapshot: { ...state.snapshot, ...change } };
}

const closed = { overlay: 'none', input: '' } as const;

/** The state after `command`, or undefined when it is not a snapshot command in this mode. */
export function snapshotCommand(state: UiState, command: Command): UiState | undefined {
  switch (command) {
    case 'snapshot.save':
      return { ...state, overlay: 'save', input: '', message: '' };
    case 'snapshot.open':
      return withSnapshot(
        state,
        { library: undefined, pick: 0, pending: { kind: 'list' } },
        { overlay: 'open', message: '' },
      );
    case 'notes.edit':
      return { ...state, overlay: 'notes', message: '' };
    case 'notes.newline':
      return withSnapshot(state, { notes: `${state.snapshot.notes}\n` });
    case 'notes.done':
      return { ...state, ...closed, message: 'notes kept: s saves them with the snapshot' };
    case 'overwrite.yes': {
      const name = state.snapshot.overwriting ?? '';
      const pending = { kind: 'save', name, force: true } as const;
      return withSnapshot(state, { overwriting: undefined, pending }, closed);
    }
    case 'overwrite.no':
      return withSnapshot(
        state,
        { overwriting: undefined },
        { ...closed, message: `not saved: "${state.snapshot.overwriting}" is kept as it was` },
      );
    default:
      return inSnapshotMode(state, command);
  }
}

/** The shared prompt and picker commands, when one of the snapshot overlays has the keys. */
function inSnapshotMode(state: UiState, command: Command): UiState | undefined {
  const { overlay } = state;
  if (overlay === 'save' && command === 'prompt.accept') {
    const pending = { kind: 'save', name: state.input.trim(), force: false } as const;
    return withSnapshot(state, { pending }, { ...closed, message: 'saving…' });
  }
  if (overlay === 'notes' && command === 'prompt.backspace')
    return withSnapshot(state, { notes: state.snapshot.notes.slice(0, -1) });
  if (overlay !== 'open') return undefined;
  const entries = state.snapshot.library ?? [];
  switch (command) {
    case 'picker.next':
    case 'picker.prev': {
      const by = command === 'picker.next' ? 1 : -1;
      return withSnapshot(state, { pick: clamp(state.snapshot.pick + by, entries.length - 1) });
    }
    case 'prompt.accept': {
      const entry = entries[state.snapshot.pick];
      if (!entry) return state;
      if (entry.unreadable !== undefined)
        return { ...state, message: `cannot open ${entry.name}: ${entry.unreadable}` };
      const pending = { kind: 'open', path: entry.path } as const;
      return withSnapshot(state, { pending }, { message: `opening ${entry.name}…` });
    }
    default:
      return undefined;
  }
}

/** A key no command takes, typed into the name prompt or the notes. */
export function snapshotTyped(state: UiState, char: string): UiState {
  const printable = [...char].length === 1 && char >= ' ';
  if (!printable) return state;
  if (state.overlay === 'save') return { ...state, ...typeAt(state, char) };
  if (state.overlay === 'notes') return withSnapshot(state, { notes: state.snapshot.notes + char });
  return state;
}

export function snapshotEvent(state: UiState, event: SnapshotEvent): UiState {
  const settled = { ...state.snapshot, pending: undefined };
  switch (event.done) {
    case 'listed':
      return {
        ...state,
        snapshot: { ...settled, library: event.entries, pick: 0 },
        ...(event.entries.length === 0 && { message: 'no saved or curated snapshots' }),
      };
    case 'failed':
      return { ...state, snapshot: settled, message: event.message };
    case 'saved': {
      const { result, name } = event;
      if (result.ok) return { ...state, snapshot: settled, message: `saved ${result.path}` };
      if (result.exists)
        return {
          ...state,
          snapshot: { ...settled, overwriting: name },
          overlay: 'overwrite',
          message: '',
        };
      return { ...state, snapshot: settled, message: `not saved: ${result.message}` };
    }
  }
}
