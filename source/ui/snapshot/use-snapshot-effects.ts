/**
 * Performs the snapshot effects the reducer leaves pending (list, save, open) through the
 * callbacks the app was given, and hands the answers back to the reducer.
 */
import { useEffect, useState } from 'react';
import type { UiEvent, UiState } from '../state.js';
import type { SnapshotEffect, SnapshotEvent } from './commands.js';
import type { Investigation, SaveRequest, SaveResult, SnapshotLibrary } from './types.js';

/** What the app does with snapshots; each part may be missing where it cannot be done. */
export interface SnapshotActions {
  /** Saves the investigation on screen; undefined when it cannot be saved, `why` says why. */
  readonly save?: (request: SaveRequest) => Promise<SaveResult>;
  readonly why?: string;
  readonly library?: SnapshotLibrary;
  /** Called with a snapshot opened from the picker: the UI is to show it instead. */
  readonly opened?: (investigation: Investigation) => void;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The name a save suggests: the local time, `2026-11-26_03-16-05`, a valid snapshot name. */
export function timestampName(at: Date): string {
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `${day}_${two(at.getHours())}-${two(at.getMinutes())}-${two(at.getSeconds())}`;
}

async function perform(
  effect: SnapshotEffect,
  actions: SnapshotActions,
  request: Omit<SaveRequest, 'name' | 'force'>,
  suggested: string,
): Promise<SnapshotEvent | undefined> {
  const failed = (message: string) => ({ type: 'snapshot', done: 'failed', message }) as const;
  const { library } = actions;
  switch (effect.kind) {
    case 'list':
      return library
        ? { type: 'snapshot', done: 'listed', entries: await library.list() }
        : failed('no snapshot library here');
    case 'save': {
      const name = effect.name || suggested;
      if (!actions.save) return failed(`cannot save: ${actions.why ?? 'nothing to save'}`);
      const result = await actions.save({ ...request, name, force: effect.force });
      return { type: 'snapshot', done: 'saved', name, result };
    }
    case 'open': {
      if (!library) return failed('no snapshot library here');
      const opened = await library.open(effect.path);
      if (!opened.ok) return failed(opened.message);
      actions.opened?.(opened.investigation);
      return undefined;
    }
  }
}

/** What a save keeps of the UI apart from the notes: the cursor and the what-if's changes. */
export type OnScreen = () => Omit<SaveRequest, 'name' | 'force' | 'notes'>;

/** Runs each pending effect once; returns the name a save suggests while its prompt is open. */
export function useSnapshotEffects(
  state: UiState,
  dispatch: (e: UiEvent) => void,
  actions: SnapshotActions,
  onScreen: OnScreen,
): string {
  const prompting = state.overlay === 'save';
  const [suggested, setSuggested] = useState(() => timestampName(new Date()));
  useEffect(() => {
    if (prompting) setSuggested(timestampName(new Date()));
  }, [prompting]);
  const { pending, notes } = state.snapshot;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each pending effect runs once, with the state it was asked in
  useEffect(() => {
    if (!pending) return;
    perform(pending, actions, { ...onScreen(), notes }, suggested).then(
      (event) => event && dispatch(event),
      (error: unknown) =>
        dispatch({ type: 'snapshot', done: 'failed', message: (error as Error).message }),
    );
  }, [pending]);
  return suggested;
}
