/** Runs the built nfdb CLI (dist/cli.js, built by `npm test` before vitest) as a user would. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Real rulesets written by others, kept in the repository (test/corpus/SOURCES.md says where
 * each comes from) so that a clone runs every test on its own.
 */
export const CORPUS = fileURLToPath(new URL('../corpus', import.meta.url));
export const CLI = `${ROOT}dist/cli.js`;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` is added to this process's environment (tests point NFDB_CONFIG_DIR and NFDB_DATA_DIR
 *  at temporary directories, so they never touch a real home). */
export function nfdb(
  args: readonly string[],
  input?: string | Buffer,
  env?: Readonly<Record<string, string>>,
): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    ...(env ? { env: { ...process.env, ...env } } : {}),
    maxBuffer: 64 << 20,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
