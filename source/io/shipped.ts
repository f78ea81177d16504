/**
 * What ships with nfdb besides its code: the scenario snapshots (`snapshots/`) and the facts of
 * the build (version, commit). The Node build reads them from its package; the single binary
 * (build/compile.ts) carries them inside and hands them over with holdShipped before the CLI
 * starts, since it runs with nothing beside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_SIZE, readFileLimited } from './read-limited.js';

/** The build an nfdb came from, as `nfdb --version` says it. */
export interface BuildInfo {
  readonly version: string;
  /** The git commit it was built from (`-dirty` when the tree had changes), or `unknown`. */
  readonly commit: string;
  /** `Node v20.20.2`, or `single binary, Bun 1.4.4`. */
  readonly runtime?: string;
}

/** What the single binary carries: package-relative paths (`snapshots/rules/x.rules`) to text. */
export interface Shipped {
  readonly files: Readonly<Record<string, string>>;
  readonly build: BuildInfo;
}

let held: Shipped | undefined;

/** Called by the single binary's entry, before the CLI is loaded. */
export function holdShipped(shipped: Shipped): void {
  held = shipped;
}

/** The folder that ships with nfdb, the only one read on behalf of a missing user path. */
const SHIPPED_DIR = 'snapshots';

/** The package's root: this file is dist/io/shipped.js (or source/io/shipped.ts under tsx). */
const packageFile = (path: string) => new URL(`../../${path}`, import.meta.url);

/** A shipped file's text by its package-relative path (`snapshots/what-if-loop.json`). */
export function shippedFile(path: string): string | undefined {
  const key = normalize(path).split(sep).join('/');
  if (!key.startsWith(`${SHIPPED_DIR}/`)) return undefined;
  if (held) return held.files[key];
  try {
    return readFileSync(packageFile(key), 'utf8');
  } catch {
    return undefined;
  }
}

/** Every shipped file's package-relative path, sorted. */
export function shippedFiles(): string[] {
  if (held) return Object.keys(held.files).sort();
  const found = readdirSync(packageFile(SHIPPED_DIR), { recursive: true, withFileTypes: true });
  return found
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const dir = relative(fileURLToPath(packageFile('')), entry.parentPath);
      return [...dir.split(sep), entry.name].join('/');
    })
    .sort();
}

/**
 * A path the user gave, read from the disk, or else, when nothing is there and the path names
 * a shipped file from the working directory (`snapshots/sidecar-inbound.json`), the shipped
 * one: the README's commands then work from any directory, and the single binary needs no
 * files beside it. The disk's error stands when neither has the file.
 */
export function readUserTextSync(path: string, maxBytes = DEFAULT_MAX_SIZE): string {
  try {
    // A regular file no larger than the limit (see read-limited.ts).
    return readFileLimited(path, maxBytes).toString('utf8');
  } catch (error) {
    const shipped = shippedFallback(path, error);
    if (shipped === undefined) throw error;
    return shipped;
  }
}

export async function readUserText(path: string, maxBytes = DEFAULT_MAX_SIZE): Promise<string> {
  try {
    return readFileLimited(path, maxBytes).toString('utf8');
  } catch (error) {
    const shipped = shippedFallback(path, error);
    if (shipped === undefined) throw error;
    return shipped;
  }
}

function shippedFallback(path: string, error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  const rel = relative(process.cwd(), resolve(path));
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return shippedFile(rel);
}

function nodeBuild(): BuildInfo {
  const runtime = `Node ${process.version}`;
  try {
    const info = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8'));
    return { version: String(info.version), commit: String(info.commit), runtime };
  } catch {
    // Run from source (tsx, tests): no build wrote the file.
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
    return { version: String(pkg.version), commit: 'unknown', runtime };
  }
}

export function buildInfo(): BuildInfo {
  return held ? held.build : nodeBuild();
}
