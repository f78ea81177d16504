import type { CommandContext } from './context.js';

/** Placeholder until the tui command lands. */
export async function tuiCommand(ctx: CommandContext): Promise<number> {
  ctx.stderr.write('nfdb tui: not built yet\n');
  return 2;
}
