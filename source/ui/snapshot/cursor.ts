/**
 * The snapshot's cursor and the UI's state, both ways: the step, the focused pane, the traffic
 * item the step belongs to, and the chain browsed with { } (by name, so that it survives a
 * change of the host's other chains).
 */
import type { Scenario, Trace } from '../../model/index.js';
import { cursorAt, cursorStep } from '../../trace/cursor-step.js';
import type { SnapshotCursor } from '../../world/snapshot-schema.js';
import type { UiState } from '../state.js';
import { hostChains } from '../view/host-chains.js';
import { trafficItems } from '../view/traffic-items.js';

/** The cursor to save for what the UI shows. */
export function cursorOf(state: UiState, scenario: Scenario, trace: Trace): SnapshotCursor {
  const connectionId = trace.steps[state.cursor]?.connectionId;
  const traffic = trace.connections.find((c) => c.id === connectionId)?.traffic;
  const chains = state.browse === undefined ? [] : hostChains(scenario, trace, state.cursor);
  const browsed = chains[(state.browse ?? 0) % Math.max(1, chains.length)];
  const cursor: SnapshotCursor = {
    step: state.cursor,
    pane: state.pane,
    ...(traffic !== undefined && { traffic }),
    ...(browsed && { chain: `${browsed.table} ${browsed.chain}` }),
  };
  return cursorAt(trace, cursor, state.cursor);
}

/** The part of the UI's state a saved cursor sets; a chain the host no longer has is dropped. */
export function viewAt(
  cursor: SnapshotCursor,
  scenario: Scenario,
  trace: Trace,
): Pick<UiState, 'cursor' | 'pane' | 'picked' | 'browse'> {
  const step = Math.max(0, Math.min(cursorStep(trace, cursor), trace.steps.length - 1));
  const picked = trafficItems(trace).findIndex((c) => c.traffic === cursor.traffic);
  const browse = hostChains(scenario, trace, step).findIndex(
    (c) => `${c.table} ${c.chain}` === cursor.chain,
  );
  return {
    cursor: step,
    pane: cursor.pane ?? 'chain',
    picked: Math.max(0, picked),
    browse: browse < 0 ? undefined : browse,
  };
}
