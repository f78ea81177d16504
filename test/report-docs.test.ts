/**
 * The report examples in docs/ (linked from the README) are what nfdb writes today, byte for
 * byte but for the version line: a change to the report shows up here, and the examples are
 * written again with the commands below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const WHAT_IF = [
  'snapshots/sidecar-outbound.json',
  '--edit',
  '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
  '--edit',
  '-t nat -D ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN',
];

const EXAMPLES: readonly [file: string, args: readonly string[]][] = [
  ['report-bookinfo.md', []],
  ['report-bookinfo.svg', ['--format', 'svg']],
  ['report-bookinfo.html', ['--format', 'html']],
  ['report-what-if-loop.md', ['--open', 'what-if-loop']],
  ['report-what-if-compare.md', WHAT_IF],
  ['report-what-if-compare.svg', [...WHAT_IF, '--format', 'svg']],
  ['report-what-if-compare.html', [...WHAT_IF, '--format', 'html']],
];

/** The build's version and commit differ from checkout to checkout. */
const unversioned = (text: string) => text.replace(/nfdb \d+\.\d+\.\d+ \([^)]*\)/g, 'nfdb VERSION');

describe('the report examples in docs/', () => {
  it.each(EXAMPLES)('%s is what nfdb report writes', (file, args) => {
    const r = nfdb(['report', ...args]);
    expect(r.status).toBe(0);
    const kept = readFileSync(join(ROOT, 'docs', file), 'utf8');
    expect(unversioned(r.stdout)).toBe(unversioned(kept));
  });
});
