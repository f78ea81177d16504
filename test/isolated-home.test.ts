import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preferencesPath } from '../source/io/preferences-path.js';

describe('the test run', () => {
  it("keeps its preferences and snapshots away from the user's own (test/helpers/isolated-home.ts)", () => {
    const config = process.env.NFDB_CONFIG_DIR ?? '';
    const data = process.env.NFDB_DATA_DIR ?? '';
    expect(config.startsWith(tmpdir())).toBe(true);
    expect(data.startsWith(tmpdir())).toBe(true);
    expect(preferencesPath(process.env)).toBe(join(config, 'config.json'));
  });
});
