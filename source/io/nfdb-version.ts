/** nfdb's own version, from its package.json (one folder above source/ and dist/ alike). */
import { readFileSync } from 'node:fs';

function read(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const NFDB_VERSION = read();
