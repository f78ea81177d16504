import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateSnapshot } from './snapshot-migrate.js';
import { SNAPSHOT_VERSION } from './snapshot-schema.js';

const scenario = { name: 'x', hosts: [{ name: 'a' }] };

describe('migrating snapshots forward', () => {
  it('has a step from every older version to the current one', () => {
    for (let v = 0; v < SNAPSHOT_VERSION; v++) expect(MIGRATIONS[v]).toBeTypeOf('function');
  });

  it('reads a scenario file (no version) as version 0 and brings it to the current version', () => {
    const migrated = migrateSnapshot(scenario, '0.1.0');
    expect(migrated).toEqual({
      ok: true,
      from: 0,
      value: { ...scenario, version: SNAPSHOT_VERSION },
    });
  });

  it('leaves a current snapshot as it is', () => {
    const current = { ...scenario, version: SNAPSHOT_VERSION, notes: 'n' };
    expect(migrateSnapshot(current, '0.1.0')).toEqual({
      ok: true,
      from: SNAPSHOT_VERSION,
      value: current,
    });
  });

  it('runs every step in order, each seeing the one before', () => {
    const table = {
      0: (s: Record<string, unknown>) => ({ ...s, version: 1, trail: ['0→1'] }),
      1: (s: Record<string, unknown>) => ({
        ...s,
        version: 2,
        trail: [...(s.trail as string[]), '1→2'],
      }),
    };
    const migrated = migrateSnapshot(scenario, '9', table, 2);
    expect(migrated).toEqual({
      ok: true,
      from: 0,
      value: { ...scenario, version: 2, trail: ['0→1', '1→2'] },
    });
  });

  it('names a hole in the table instead of skipping it', () => {
    expect(migrateSnapshot({ version: 1 }, '9', { 0: (s) => s }, 2)).toEqual({
      ok: false,
      error: 'version: no migration from version 1',
    });
  });

  it('refuses a newer version with the versions involved', () => {
    expect(migrateSnapshot({ ...scenario, version: SNAPSHOT_VERSION + 1 }, '0.1.0')).toEqual({
      ok: false,
      error: `version: ${SNAPSHOT_VERSION + 1} is newer than this nfdb (0.1.0) reads (up to ${SNAPSHOT_VERSION}): upgrade nfdb to open it`,
    });
  });

  it('refuses a version that is no whole number, saying what it found', () => {
    for (const version of ['1', -1, 1.5, null])
      expect(migrateSnapshot({ version }, '0.1.0')).toEqual({
        ok: false,
        error: `version: expected a whole number from 0 to ${SNAPSHOT_VERSION}, found ${JSON.stringify(version)}`,
      });
  });
});
