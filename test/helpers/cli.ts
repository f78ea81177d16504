/** Runs the built nfdb CLI (dist/cli.js, built by `npm test` before vitest) as a user would. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

/**
 * The shared corpus sits beside the checkout (as CI checks out), not in it: a clone without it
 * skips the tests that read it, and says so loudly, as the kernel tests do without root.
 */
export const CORPUS_MISSING = !existsSync(CORPUS);
if (CORPUS_MISSING)
  console.warn(
    `\n*** CORPUS TESTS SKIPPED: ${CORPUS} is not there (it sits beside the checkout) ***\n`,
  );
const CLI = `${ROOT}dist/cli.js`;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function nfdb(args: readonly string[], input?: string | Buffer): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
