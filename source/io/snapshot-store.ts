/**
 * Where snapshots live: the user's ones in nfdb's data directory (laid out as env-paths and conf
 * do it: $XDG_DATA_HOME/nfdb, else ~/.local/share/nfdb; NFDB_DATA_DIR overrides it), the curated
 * ones in nfdb's own snapshots/ folder, or any path. A name is looked up in that order.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SnapshotFile, snapshotSchema } from '../world/snapshot-schema.js';
import { checkSnapshotText } from './read-snapshot.js';
import { TEMPORARY_PREFIX, writeFileAtomic } from './write-atomic.js';

type Env = Readonly<Record<string, string | undefined>>;

export function dataDirectory(env: Env = process.env): string {
  if (env.NFDB_DATA_DIR) return env.NFDB_DATA_DIR;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'nfdb');
}

export const savedDirectory = (env: Env = process.env) => join(dataDirectory(env), 'snapshots');

/** The snapshots that ship with nfdb, one folder above source/ and dist/ alike. */
export const CURATED_DIRECTORY = fileURLToPath(new URL('../../snapshots', import.meta.url));

/** A name is a file name without `.json`; anything with a slash or `.json` is a path. */
export const isPath = (arg: string) => arg.includes('/') || arg.endsWith('.json');

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export type Where =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly message: string };

/** Where `save NAME|PATH` writes. */
export function savePath(target: string, env: Env = process.env): Where {
  if (isPath(target)) return { ok: true, path: target };
  if (!NAME.test(target))
    return {
      ok: false,
      message: `snapshot name ${JSON.stringify(target)}: expected letters, digits, '.', '_' or '-', starting with a letter or digit`,
    };
  return { ok: true, path: join(savedDirectory(env), `${target}.json`) };
}

/** Where `--open NAME` reads: a saved snapshot of that name, else a curated one. */
export function findSnapshot(name: string, env: Env = process.env): Where {
  if (isPath(name)) return { ok: true, path: name };
  const candidates = [
    join(savedDirectory(env), `${name}.json`),
    join(CURATED_DIRECTORY, `${name}.json`),
  ];
  const found = NAME.test(name) ? candidates.find((p) => existsSync(p)) : undefined;
  return found
    ? { ok: true, path: found }
    : {
        ok: false,
        message: `no saved or curated snapshot named ${JSON.stringify(name)} (see nfdb snapshots)`,
      };
}

export interface ListedSnapshot {
  readonly name: string;
  readonly kind: 'saved' | 'curated';
  readonly path: string;
  /** When it was saved, else when the file last changed (ISO 8601). */
  readonly date: string;
  readonly title?: string;
  readonly notes?: string;
  /** Why it cannot be opened; the other fields are then what the file system knows. */
  readonly unreadable?: string;
}

function listed(dir: string, kind: ListedSnapshot['kind']): ListedSnapshot[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .filter(
      (f) => f.endsWith('.json') && !f.endsWith('.schema.json') && !f.startsWith(TEMPORARY_PREFIX),
    )
    .map((f) => entryOf(join(dir, f), f.slice(0, -'.json'.length), kind));
}

function entryOf(path: string, name: string, kind: ListedSnapshot['kind']): ListedSnapshot {
  let mtime = new Date(0).toISOString();
  try {
    mtime = statSync(path).mtime.toISOString();
    const checked = checkSnapshotText(readFileSync(path, 'utf8'), path);
    if (!checked.ok) return { name, kind, path, date: mtime, unreadable: checked.errors[0] ?? '' };
    const s = checked.snapshot;
    const notes = s.notes.split('\n')[0] ?? '';
    return { name, kind, path, date: s.createdAt ?? mtime, title: s.name, ...(notes && { notes }) };
  } catch (error) {
    return { name, kind, path, date: mtime, unreadable: `${path}: ${(error as Error).message}` };
  }
}

/** Saved snapshots, most recent first, then the curated ones by name. */
export function listSnapshots(env: Env = process.env): ListedSnapshot[] {
  const saved = listed(savedDirectory(env), 'saved').sort(
    (a, b) => b.date.localeCompare(a.date) || a.name.localeCompare(b.name),
  );
  const curated = listed(CURATED_DIRECTORY, 'curated').sort((a, b) => a.name.localeCompare(b.name));
  return [...saved, ...curated];
}

/** The file's text: the schema's key order, two-space indent, a final newline. */
export function snapshotText(snapshot: SnapshotFile): string {
  const { $schema: _drop, ...ordered } = snapshotSchema.parse(snapshot);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * Writes the snapshot atomically. An existing file is replaced only with `force`. The env hook
 * NFDB_TEST_PAUSE_BEFORE_RENAME=MARKER makes the writer create MARKER after the fsync and wait
 * there for ever: the test that kills a save halfway waits for the marker, then kills.
 */
export function writeSnapshot(
  path: string,
  snapshot: SnapshotFile,
  force: boolean,
  env: Env = process.env,
): { ok: true } | { ok: false; message: string; exists?: boolean } {
  if (!force && existsSync(path))
    return { ok: false, exists: true, message: `${path}: a snapshot is there already` };
  const marker = env.NFDB_TEST_PAUSE_BEFORE_RENAME;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(
      path,
      snapshotText(snapshot),
      marker ? { beforeRename: () => pause(marker) } : {},
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `${path}: cannot write: ${(error as Error).message}` };
  }
}

function pause(marker: string): void {
  writeFileAtomic(marker, `${process.pid}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
