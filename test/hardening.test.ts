/**
 * Inputs and surroundings that used to crash nfdb, eat the machine or be silently misread
 * (issue 17), through the built CLI as a user meets them.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const NO_STACK = /\n\s+at .+:\d+:\d+/;

/** nfdb with its standard output sent to `path`. */
function nfdbTo(path: string, args: readonly string[], input: string) {
  const out = openSync(path, 'w');
  try {
    const r = spawnSync(process.execPath, [`${ROOT}dist/cli.js`, ...args], {
      input,
      stdio: ['pipe', out, 'pipe'],
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(out);
  }
}

describe('a standard output that cannot be written', () => {
  it.runIf(existsSync('/dev/full')).each([[['run']], [['run', '--json']], [['check', '-']]])(
    'nfdb %j > /dev/full: one line, status 1',
    (args) => {
      const r = nfdbTo('/dev/full', args, '*filter\nCOMMIT\n');
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('nfdb: cannot write to standard output: ENOSPC\n');
      expect(r.stderr).not.toMatch(NO_STACK);
    },
  );
});

describe('inputs that are not regular files, or too large', () => {
  it('nfdb check /dev/zero: refused at once, status 1', () => {
    const r = nfdb(['check', '/dev/zero']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('/dev/zero: cannot read: it is a character device\n');
  });

  it('nfdb check - < /dev/zero: cut off at the limit, status 1', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(
        process.execPath,
        [`${ROOT}dist/cli.js`, 'check', '--max-size', '1M', '-'],
        {
          stdio: [zero, 'pipe', 'pipe'],
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        'standard input: cannot read: larger than 1 MB, the limit of what nfdb reads (--max-size raises it)\n',
      );
    } finally {
      closeSync(zero);
    }
  });

  it('a file that would not fit in the heap: refused before it is read, with what makes room', () => {
    // A 64 MB heap holds about 8 MB of rules (heap-fit.ts): a 10 MB file is refused.
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-heap-'));
    const file = join(dir, 'big.rules');
    const rule = '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n';
    writeFileSync(file, `*filter\n:INPUT ACCEPT [0:0]\n${rule.repeat(240_000)}COMMIT\n`);
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=64', `${ROOT}dist/cli.js`, 'check', file],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^\S+big.rules: cannot read: too large to load in this Node's heap: 10 MB of rules needs about 141 MB \(14 bytes a byte\), and it has \d+ MB; NODE_OPTIONS=--max-old-space-size=200 makes room/,
    );
    expect(r.stderr).not.toMatch(NO_STACK);
    // --max-size takes the user's word for it: read, parsed and summed up.
    const forced = spawnSync(
      process.execPath,
      [`${ROOT}dist/cli.js`, 'check', '--max-size', '20M', file],
      { encoding: 'utf8' },
    );
    expect(forced.stdout).toContain('240000 rules');
    expect(forced.status).toBe(0);
  });

  it('--max-size that is no size is misuse', () => {
    const r = nfdb(['check', '--max-size', 'lots', '-'], '');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--max-size "lots": expected a size');
  });
});
