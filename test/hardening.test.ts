/**
 * Inputs and surroundings that used to crash nfdb, eat the machine or be silently misread
 * (issue 17), through the built CLI as a user meets them.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

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
