/**
 * What ships with nfdb besides its code, in the Node build (test/binary/ holds the single binary
 * to the same): `--version` with the commit, and the shipped snapshots read by their
 * `snapshots/…` path from any directory, a file on disk winning over them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const CLI = join(ROOT, 'dist/cli.js');
const away = mkdtempSync(join(tmpdir(), 'nfdb-shipped-'));
afterAll(() => rmSync(away, { recursive: true, force: true }));

const nfdbIn = (cwd: string, args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });

describe('nfdb --version', () => {
  it('prints the version and the commit the build was made from, in every mode', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const info = JSON.parse(readFileSync(join(ROOT, 'dist/build-info.json'), 'utf8'));
    for (const args of [['--version'], ['run', '--version'], ['check', '--version']]) {
      const r = nfdb(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`nfdb ${version} (commit ${info.commit}, Node ${process.version})\n`);
    }
    expect(info.commit).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
  });
});

describe('the shipped snapshots', () => {
  it('are read by their snapshots/ path from a directory that has none', () => {
    const args = ['run', 'snapshots/what-if-loop.json', '--counters'];
    const here = nfdbIn(ROOT, args);
    const there = nfdbIn(away, args);
    expect(here.status).toBe(0);
    expect([there.status, there.stdout, there.stderr]).toEqual([0, here.stdout, here.stderr]);
    const rules = nfdbIn(away, ['check', 'snapshots/rules/istio-sidecar.rules']);
    expect(rules.status).toBe(0);
    expect(rules.stdout).toMatch(/^snapshots\/rules\/istio-sidecar.rules: loaded/);
  });

  it('give way to a file of the same path on disk', () => {
    mkdirSync(join(away, 'snapshots'), { recursive: true });
    writeFileSync(join(away, 'snapshots/what-if-loop.json'), '{ "hosts": 1 ');
    const r = nfdbIn(away, ['run', 'snapshots/what-if-loop.json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^snapshots\/what-if-loop.json:1:\d+: not valid JSON/);
  });

  it('are not a way to reach files outside snapshots/', () => {
    const r = nfdbIn(away, ['check', 'package.json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('package.json: cannot read: no such file');
  });
});
