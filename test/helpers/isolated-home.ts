/**
 * Vitest's global setup: the whole run keeps its preferences and snapshots in a directory of its
 * own, so that no test (nor the nfdb it spawns, nor a tmux server it starts) reads or writes the
 * preferences of the person running the tests. Opening a snapshot in the UI remembers it among
 * the recent ones: before this, every test run added its checkout's snapshots to ~/.config/nfdb.
 * Tests that need a preference of their own still point NFDB_CONFIG_DIR at a fresh directory.
 *
 * The temporary files of the run go there too (TMPDIR, which os.tmpdir() reads), and leave with
 * it: the tests' own directories were left behind in /tmp, a few hundred each run.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-test-home-'));
  // As /tmp is: the kernel tests' agents run as other users (envoy's 1337, the app's 1000) and
  // read their scripts from a directory under it.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'tmp'));
  chmodSync(join(dir, 'tmp'), 0o1777);
  process.env.TMPDIR = join(dir, 'tmp');
  process.env.NFDB_CONFIG_DIR = join(dir, 'config');
  process.env.NFDB_DATA_DIR = join(dir, 'data');
  return () => rmSync(dir, { recursive: true, force: true });
}
