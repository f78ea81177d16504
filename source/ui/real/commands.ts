/**
 * The L view's own keys: a connection's number adds the traced connection to the traffic (as it
 * was simulated beside the kernel's path) and puts the cursor on its first step, so the
 * simulated side can be stepped through rule by rule. Numbers past 9 are typed digit by digit:
 * a number no further digit could lengthen adds at once, else Enter ends it.
 */
import { addItem } from '../add-traffic/commands.js';
import type { Command } from '../keymap.js';
import type { CommandContext, UiState } from '../state.js';

type Context = CommandContext & { readonly name?: string };

function add(state: UiState, typed: string, c: Context): UiState {
  const n = Number(typed);
  const traced = c.real?.beside[n - 1];
  const done = { ...state, realNumber: undefined };
  if (!traced?.item) return { ...done, message: `no traced connection ${typed} to add` };
  const added = addItem({ ...done, listScroll: 0 }, traced.item);
  return { ...added, message: `traced connection ${n}: ${added.message}` };
}

export function realCommand(state: UiState, command: Command, c: Context): UiState | undefined {
  if (command === 'real.pick')
    return state.realNumber === undefined
      ? { ...state, message: "type a connection's number, then Enter" }
      : add(state, state.realNumber, c);
  if (command !== 'real.add') return undefined;
  const typed = `${state.realNumber ?? ''}${c.name ?? ''}`;
  const count = c.real?.beside.length ?? 0;
  if (Number(typed) * 10 > count) return add(state, typed, c);
  return { ...state, realNumber: typed, message: `connection ${typed}… (another digit, or Enter)` };
}
