/**
 * Whether the command line asks a what-if (--edit, --set): apart from what-if.ts, so that a
 * plain `nfdb run` can ask without loading the edits, --set's schema and the trace diff.
 */
import type { CommandContext } from './context.js';

/** The flag's values as a list: the command line gives one string per --edit. */
export function flagValues(flag: unknown): string[] {
  if (Array.isArray(flag)) return flag.map(String);
  return typeof flag === 'string' ? [flag] : [];
}

export function hasWhatIf(ctx: CommandContext): boolean {
  return flagValues(ctx.flags.edit).length + flagValues(ctx.flags.set).length > 0;
}
