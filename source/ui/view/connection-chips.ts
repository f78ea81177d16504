import type { Trace } from '../../model/index.js';
import { connectionLabel } from '../../trace/words/index.js';
import type { PathToken } from './path-tokens.js';

/** Every connection of the scenario as a chip, the one the cursor is in lit. */
export function connectionChips(trace: Trace, cursor: number): PathToken[] {
  const current = trace.steps[cursor]?.connectionId;
  return trace.connections.map((c) => ({
    text: `${c.id} ${connectionLabel(c)}`,
    lit: c.id === current,
  }));
}
