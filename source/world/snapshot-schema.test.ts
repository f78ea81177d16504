import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSnapshotText, readSnapshot } from '../io/read-snapshot.js';
import { SNAPSHOT_VERSION, snapshotJsonSchema } from './snapshot-schema.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');
const shipped = readdirSync(SNAPSHOTS).filter(
  (f) => f.endsWith('.json') && !f.endsWith('.schema.json'),
);

describe('the snapshot format', () => {
  it('is described by the JSON Schema kept in snapshots/snapshot.schema.json', () => {
    const kept = JSON.parse(readFileSync(join(SNAPSHOTS, 'snapshot.schema.json'), 'utf8'));
    // If this fails, the zod schema changed: regenerate the file with npm run schema.
    expect(kept).toEqual(snapshotJsonSchema());
  });

  it('ships scenario files to read', () => {
    expect(shipped.length).toBeGreaterThan(10);
  });

  it.each(shipped)(
    'reads %s as a valid snapshot, migrated to the current version',
    async (file) => {
      const path = join(SNAPSHOTS, file);
      const checked = checkSnapshotText(readFileSync(path, 'utf8'), path);
      expect(checked.ok && checked.snapshot.version).toBe(SNAPSHOT_VERSION);
      const loaded = await readSnapshot(path);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    },
  );
});
