/**
 * Where the preferences live, apart from how they are read: a command that only needs one
 * preference (`nfdb run` asks for a default scenario) starts without the schemas and the store
 * (zod and conf, a third of its start-up) when the file does not mention it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** conf's directory, as env-paths lays it out; NFDB_CONFIG_DIR overrides it. */
export function configDirectory(env: Env): string {
  if (env.NFDB_CONFIG_DIR) return env.NFDB_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'nfdb');
}

/** The file the preferences live in. */
export const preferencesPath = (env: Env = process.env) =>
  join(configDirectory(env), 'config.json');

/**
 * Whether the preferences file has the word `name` in it at all: if not, that preference is
 * its default, and there is no need to read the file properly. Most files hold only `recent`.
 */
export function preferencesMention(name: string, env: Env = process.env): boolean {
  try {
    return readFileSync(preferencesPath(env), 'utf8').includes(name);
  } catch {
    return false;
  }
}
