/**
 * The facts of a build that `nfdb --version` prints: the package's version and the commit the
 * tree was at (with `-dirty` when it had uncommitted changes; NFDB_COMMIT when there is no git,
 * as in a tarball). Run as a script (`npm run build` does), it writes dist/build-info.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const git = (...args: string[]) => {
  const r = spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

export function commitOfTree(): string {
  if (process.env.NFDB_COMMIT) return process.env.NFDB_COMMIT;
  const head = git('rev-parse', '--short=12', 'HEAD');
  if (head === undefined) return 'unknown';
  const changed = git('status', '--porcelain', '--untracked-files=no');
  return changed ? `${head}-dirty` : head;
}

export function packageVersion(): string {
  return String(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const info = { version: packageVersion(), commit: commitOfTree() };
  writeFileSync(`${ROOT}dist/build-info.json`, `${JSON.stringify(info)}\n`);
}
