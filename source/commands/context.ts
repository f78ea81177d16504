import { DEFAULT_MAX_SIZE } from '../io/read-limited.js';

/**
 * What a subcommand gets from the CLI: its positional arguments, its flags (already parsed and
 * read by commands/argv.ts in cli.tsx) and the streams to write to. Returns the exit code:
 * 0 ok, 1 the input is wrong, 2 nfdb was used wrongly.
 */
export interface CommandContext {
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, unknown>>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_MISUSE = 2;

/** `--max-size`, checked and read into bytes by checkFlags; else nfdb's limit. */
export function maxSize(ctx: CommandContext): number {
  const given = ctx.flags.maxSize;
  return typeof given === 'number' ? given : DEFAULT_MAX_SIZE;
}
