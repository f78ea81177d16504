import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preferencesPath } from '../source/io/preferences-path.js';

describe('the test run', () => {
  it("keeps its preferences, snapshots and temporary files in a directory of its own, away from the user's (test/helpers/isolated-home.ts)", () => {
    const run = dirname(tmpdir());
    expect(basename(run)).toMatch(/^nfdb-test-home-/);
    expect(process.env.NFDB_CONFIG_DIR).toBe(join(run, 'config'));
    expect(process.env.NFDB_DATA_DIR).toBe(join(run, 'data'));
    expect(preferencesPath(process.env)).toBe(join(run, 'config', 'config.json'));
  });
});
