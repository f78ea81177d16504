import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandBundle } from './command-bundle.js';

/** A build's dist with the check command's module and, if asked, its bundle, written at `times`. */
function dist(times: { module: number; bundle?: number }) {
  const root = mkdtempSync(join(tmpdir(), 'nfdb-bundle-'));
  mkdirSync(join(root, 'commands'));
  mkdirSync(join(root, 'bundle'));
  const module = join(root, 'commands/check.js');
  writeFileSync(module, '');
  utimesSync(module, times.module, times.module);
  if (times.bundle !== undefined) {
    const bundle = join(root, 'bundle/check.js');
    writeFileSync(bundle, '');
    utimesSync(bundle, times.bundle, times.bundle);
  }
  return pathToFileURL(`${root}/`);
}

describe('a command bundle', () => {
  it('is used when it was written after the command’s module', () => {
    const url = dist({ module: 1000, bundle: 2000 });
    expect(commandBundle('check', url, {})).toBe(new URL('bundle/check.js', url).href);
  });

  it('is not used when it is older (tsc ran after it), missing, or NFDB_NO_BUNDLE=1', () => {
    expect(commandBundle('check', dist({ module: 2000, bundle: 1000 }), {})).toBeUndefined();
    expect(commandBundle('check', dist({ module: 1000 }), {})).toBeUndefined();
    const fresh = dist({ module: 1000, bundle: 2000 });
    expect(commandBundle('check', fresh, { NFDB_NO_BUNDLE: '1' })).toBeUndefined();
  });
});
