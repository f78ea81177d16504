/**
 * Writes a file so that a reader sees the old contents or the new, never a mix: the text goes to
 * a temporary file in the same directory (same filesystem, so rename is atomic), is flushed to
 * disk with fsync, then renamed over the target. A failure or a kill at any point leaves the
 * previous file as it was.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this, so a listing of the directory can skip them. */
export const TEMPORARY_PREFIX = '.tmp-';

export interface WriteHooks {
  /** Runs after the fsync and before the rename: where a test kills the writer. */
  readonly beforeRename?: (temporary: string) => void;
}

export function writeFileAtomic(path: string, text: string, hooks: WriteHooks = {}): void {
  const temporary = join(dirname(path), `${TEMPORARY_PREFIX}${basename(path)}.${process.pid}`);
  try {
    const fd = openSync(temporary, 'w', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temporary);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}

/** The rename itself reaches the disk only once the directory is synced. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse to sync a directory; the rename has happened all the same.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
