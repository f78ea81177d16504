import type { CommandContext } from './context.js';

/** Placeholder until the check command lands. */
export async function checkCommand(ctx: CommandContext): Promise<number> {
  ctx.stderr.write('nfdb check: not built yet\n');
  return 2;
}
