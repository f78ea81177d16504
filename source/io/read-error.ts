/** One wording for a file that cannot be read, whichever command reads it. */
import { existsSync } from 'node:fs';
import { InputRefused } from './read-limited.js';

export function whyUnreadable(error: unknown): string {
  if (error instanceof InputRefused) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? String((error as Error).message);
}

/** `PATH: cannot read: no such file` and the like. */
export function cannotRead(path: string, error: unknown): string {
  return `${path}: cannot read: ${whyUnreadable(error)}`;
}

/** Whether something (file, directory) exists at the path: the CLI's test for a typo'd subcommand. */
export function pathExists(path: string): boolean {
  return existsSync(path);
}
