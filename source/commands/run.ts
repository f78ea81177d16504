import type { CommandContext } from './context.js';

/** Placeholder until the run command lands. */
export async function runCommand(ctx: CommandContext): Promise<number> {
  ctx.stderr.write('nfdb run: not built yet\n');
  return 2;
}
