/**
 * The L view's own keys: a digit adds the traced connection of that number to the traffic (as
 * it was simulated beside the kernel's path) and puts the cursor on its first step, so the
 * simulated side can be stepped through rule by rule.
 */
import { addItem } from '../add-traffic/commands.js';
import type { Command } from '../keymap.js';
import type { CommandContext, UiState } from '../state.js';

export function realCommand(
  state: UiState,
  command: Command,
  c: CommandContext & { readonly name?: string },
): UiState | undefined {
  if (command !== 'real.add') return undefined;
  const n = Number(c.name);
  const traced = c.real?.beside[n - 1];
  if (!traced?.item) return { ...state, message: `no traced connection ${c.name} to add` };
  const added = addItem({ ...state, listScroll: 0 }, traced.item);
  return { ...added, message: `traced connection ${n}: ${added.message}` };
}
