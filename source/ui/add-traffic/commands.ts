/**
 * `T`: add traffic to the scenario from what its world offers (source/world/traffic-choices.ts),
 * in up to three steps: the choice (inbound to a listener, loopback, outbound, DNS), the process
 * that sends (its uid, gid and mark), and for outbound and DNS the destination, typed. Esc goes
 * back a step. The item joins the scenario as loaded, so the what-if edits apply to it as to the
 * rest and the compare view runs it on both sides; the cursor goes to its first step.
 */
import type { Scenario, Trace, TrafficItem } from '../../model/index.js';
import { addTraffic, parseDestination, type TrafficPick } from '../../world/picked-traffic.js';
import {
  sendersOf,
  type TrafficChoice,
  type TrafficSender,
  trafficChoices,
} from '../../world/traffic-choices.js';
import type { Command, Mode } from '../keymap.js';
import type { UiState } from '../state.js';
import { runOf, type Session } from '../what-if/session.js';

export interface AddTrafficUi {
  readonly stage: 'choice' | 'sender' | 'destination';
  /** Indices into the choices and the senders the overlay lists. */
  readonly choice: number;
  readonly sender: number;
  /** Why the destination typed was not taken: its column and the reason. */
  readonly error?: { readonly column: number; readonly text: string };
}

const MODES: readonly Mode[] = ['add-traffic', 'add-traffic-to'];
export const isAddTrafficMode = (mode: Mode) => MODES.includes(mode);

/** What the overlay offers for the session's world (the what-if's, as the screen shows it). */
export function offered(session: Session | undefined): {
  choices: TrafficChoice[];
  scenario?: Scenario;
} {
  if (!session) return { choices: [] };
  const { scenario } = runOf(session);
  return { choices: trafficChoices(scenario.world, scenario.traffic), scenario };
}

export function sendersFor(session: Session | undefined, choice: TrafficChoice | undefined) {
  if (!session || !choice || choice.from) return [];
  return sendersOf(runOf(session).scenario.world, choice.host);
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

function closed(state: UiState, message = ''): UiState {
  return { ...state, overlay: 'none', input: '', addTraffic: undefined, message };
}

/** The first step of the item's own connection, or where the cursor was when it has none. */
function firstStep(trace: Trace, index: number): number | undefined {
  const c = trace.connections.find((x) => x.traffic === index && x.parent === undefined);
  return trace.packets.find((p) => p.connectionId === c?.id)?.firstStep;
}

/** The pick added to the loaded scenario and run; the cursor on its first step. */
function finish(state: UiState, pick: TrafficPick): UiState {
  const session = state.whatIf;
  if (!session) return closed(state, 'no scenario to add traffic to');
  const added = addTraffic(session.base, pick);
  if (!added.ok) return closed(state, `traffic not added: ${added.message}`);
  return withTraffic(state, session, added);
}

/**
 * A traffic item as it is (a connection `nfdb live --trace` saw) added to the loaded scenario
 * and run; the cursor on its first step.
 */
export function addItem(state: UiState, item: TrafficItem): UiState {
  const session = state.whatIf;
  if (!session) return closed(state, 'no scenario to add traffic to');
  const { base } = session;
  const scenario = { ...base, traffic: [...base.traffic, item] };
  return withTraffic(state, session, { scenario, index: base.traffic.length });
}

function withTraffic(
  state: UiState,
  session: Session,
  added: { readonly scenario: Scenario; readonly index: number },
): UiState {
  const next: Session = { ...session, base: added.scenario };
  const { trace } = runOf(next);
  const step = firstStep(trace, added.index);
  const label = added.scenario.traffic[added.index]?.label ?? '';
  const cursor = step ?? Math.min(state.cursor, Math.max(0, trace.steps.length - 1));
  return {
    ...closed(state),
    whatIf: next,
    cursor,
    frame: undefined,
    browse: undefined,
    row: undefined,
    scroll: 0,
    message:
      step === undefined
        ? `added traffic ${added.index + 1}: ${label} · it sent no packet`
        : `added traffic ${added.index + 1}: ${label} (step ${step})`,
  };
}

function accept(state: UiState, ui: AddTrafficUi): UiState {
  const { choices } = offered(state.whatIf);
  const choice = choices[ui.choice];
  if (!choice) return closed(state);
  if (choice.from) return finish(state, { choice });
  const senders = sendersFor(state.whatIf, choice);
  const sender: TrafficSender | undefined = senders[ui.sender];
  if (ui.stage === 'choice') return { ...state, addTraffic: { ...ui, stage: 'sender', sender: 0 } };
  if (!sender) return closed(state, 'no process to send from');
  if (choice.to) return finish(state, { choice, sender });
  if (ui.stage === 'sender')
    return {
      ...state,
      overlay: 'add-traffic-to',
      input: choice.suggested ?? '',
      addTraffic: { ...ui, stage: 'destination', error: undefined },
    };
  const parsed = parseDestination(state.input, choice.protocol);
  if (!parsed.ok)
    return {
      ...state,
      addTraffic: { ...ui, error: { column: parsed.column, text: parsed.message } },
    };
  return finish(state, { choice, sender, destination: parsed.value });
}

/** Esc: a step back, and out from the first. */
function back(state: UiState, ui: AddTrafficUi): UiState {
  if (ui.stage === 'choice') return closed(state);
  const stage = ui.stage === 'destination' ? 'sender' : 'choice';
  return {
    ...state,
    overlay: 'add-traffic',
    input: '',
    addTraffic: { ...ui, stage, error: undefined },
  };
}

/** The state after `command`, or undefined when it is not one of adding traffic. */
export function addTrafficCommand(
  state: UiState,
  command: Command,
  mode: Mode,
): UiState | undefined {
  if (command === 'traffic.add') {
    if (offered(state.whatIf).choices.length === 0)
      return { ...state, message: 'no host of the world listens or sends: no traffic to add' };
    return {
      ...state,
      overlay: 'add-traffic',
      input: '',
      addTraffic: { stage: 'choice', choice: 0, sender: 0 },
      message: '',
    };
  }
  const ui = state.addTraffic;
  if (!isAddTrafficMode(mode) || !ui) return undefined;
  switch (command) {
    case 'picker.next':
    case 'picker.prev': {
      const by = command === 'picker.next' ? 1 : -1;
      if (ui.stage === 'choice') {
        const last = offered(state.whatIf).choices.length - 1;
        return { ...state, addTraffic: { ...ui, choice: clamp(ui.choice + by, last) } };
      }
      const choice = offered(state.whatIf).choices[ui.choice];
      const last = sendersFor(state.whatIf, choice).length - 1;
      return { ...state, addTraffic: { ...ui, sender: clamp(ui.sender + by, last) } };
    }
    case 'prompt.accept':
      return accept(state, ui);
    case 'prompt.cancel':
      return back(state, ui);
    case 'prompt.backspace':
      return { ...state, input: state.input.slice(0, -1), addTraffic: { ...ui, error: undefined } };
    case 'prompt.clear':
      return { ...state, input: '', addTraffic: { ...ui, error: undefined } };
    default:
      return undefined;
  }
}

/** A key no command takes, typed into the destination. */
export function addTrafficTyped(state: UiState, char: string): UiState {
  const printable = [...char].length === 1 && char >= ' ';
  if (!printable || !state.addTraffic) return state;
  return {
    ...state,
    input: state.input + char,
    addTraffic: { ...state.addTraffic, error: undefined },
  };
}
