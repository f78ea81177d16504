import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../world/simulate.js';
import { SNAPSHOT_VERSION, type SnapshotFile } from '../world/snapshot-schema.js';
import { checkSnapshotText, inlineRules, readSnapshot } from './read-snapshot.js';
import {
  CURATED_DIRECTORY,
  dataDirectory,
  findSnapshot,
  listSnapshots,
  savePath,
  snapshotText,
  writeSnapshot,
} from './snapshot-store.js';
import { writeFileAtomic } from './write-atomic.js';

const shipped = readdirSync(CURATED_DIRECTORY).filter(
  (f) => f.endsWith('.json') && !f.endsWith('.schema.json'),
);
const freshEnv = () => ({ NFDB_DATA_DIR: mkdtempSync(join(tmpdir(), 'nfdb-store-')) });

/** A shipped scenario as `nfdb save` makes it: rules inlined, the cursor placed. */
function asSnapshot(file: string, step: number): SnapshotFile {
  const path = join(CURATED_DIRECTORY, file);
  const checked = checkSnapshotText(readFileSync(path, 'utf8'), path);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  const inlined = inlineRules(checked.snapshot, path);
  if (!inlined.ok) throw new Error(inlined.errors.join('\n'));
  return { ...inlined.snapshot, cursor: { step, pane: 'packet' }, notes: `from ${file}` };
}

describe('save then restore', () => {
  it.each(shipped)('gives %s the same trace step for step, and the same cursor', async (file) => {
    const original = await readSnapshot(join(CURATED_DIRECTORY, file));
    if (!original.ok) throw new Error(original.errors.join('\n'));
    const before = simulate(original.scenario);
    const step = Math.floor(before.steps.length / 2);
    const where = savePath('roundtrip', freshEnv());
    if (!where.ok) throw new Error(where.message);
    expect(writeSnapshot(where.path, asSnapshot(file, step), false)).toEqual({ ok: true });
    const restored = await readSnapshot(where.path);
    if (!restored.ok) throw new Error(restored.errors.join('\n'));
    expect(simulate(restored.scenario).steps).toEqual(before.steps);
    expect(restored.snapshot.cursor).toEqual({ step, pane: 'packet' });
    expect(restored.snapshot.notes).toBe(`from ${file}`);
  });
});

describe('the snapshot file', () => {
  it('is written in the schema key order, whatever order it was built in', () => {
    const s = asSnapshot('sidecar-inbound.json', 1);
    const shuffled = Object.fromEntries(Object.entries(s).reverse()) as SnapshotFile;
    const text = snapshotText(shuffled);
    expect(text).toBe(snapshotText(s));
    expect(Object.keys(JSON.parse(text))).toEqual([
      'version',
      'name',
      'notes',
      'settings',
      'hosts',
      'traffic',
      'edits',
      'undone',
      'cursor',
    ]);
    expect(JSON.parse(text).version).toBe(SNAPSHOT_VERSION);
  });

  it('stands alone: no rules file reference is left in it', () => {
    const text = snapshotText(asSnapshot('sidecar-inbound.json', 0));
    expect(text).not.toContain('"file"');
    expect(text).toContain('ISTIO_INBOUND');
  });
});

describe('the store', () => {
  it('keeps saved snapshots in the data directory, XDG_DATA_HOME honoured', () => {
    expect(dataDirectory({ XDG_DATA_HOME: '/x/share' })).toBe('/x/share/nfdb');
    expect(dataDirectory({ NFDB_DATA_DIR: '/d', XDG_DATA_HOME: '/x' })).toBe('/d');
    expect(savePath('mine', { NFDB_DATA_DIR: '/d' })).toEqual({
      ok: true,
      path: '/d/snapshots/mine.json',
    });
    expect(savePath('./here.json', {})).toEqual({ ok: true, path: './here.json' });
    expect(savePath('-x', {}).ok).toBe(false);
  });

  it('replaces an existing snapshot only when forced', () => {
    const env = freshEnv();
    const where = savePath('twice', env);
    if (!where.ok) throw new Error(where.message);
    const first = asSnapshot('sidecar-inbound.json', 1);
    expect(writeSnapshot(where.path, first, false)).toEqual({ ok: true });
    const again = writeSnapshot(where.path, { ...first, notes: 'second' }, false);
    expect(again).toMatchObject({ ok: false, exists: true });
    expect(readFileSync(where.path, 'utf8')).toBe(snapshotText(first));
    expect(writeSnapshot(where.path, { ...first, notes: 'second' }, true)).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(where.path, 'utf8')).notes).toBe('second');
  });

  it('finds a name among the saved snapshots first, then the curated ones', () => {
    const env = freshEnv();
    expect(findSnapshot('sidecar-inbound', env)).toEqual({
      ok: true,
      path: join(CURATED_DIRECTORY, 'sidecar-inbound.json'),
    });
    const where = savePath('sidecar-inbound', env);
    if (!where.ok) throw new Error(where.message);
    writeSnapshot(where.path, asSnapshot('sidecar-inbound.json', 2), false);
    expect(findSnapshot('sidecar-inbound', env)).toEqual({ ok: true, path: where.path });
    expect(findSnapshot('nope', env)).toEqual({
      ok: false,
      message: 'no saved or curated snapshot named "nope" (see nfdb snapshots)',
    });
  });

  it('lists saved ones most recent first, then the curated, an unreadable one marked', () => {
    const env = freshEnv();
    const at = (name: string) => {
      const w = savePath(name, env);
      if (!w.ok) throw new Error(w.message);
      return w.path;
    };
    const s = asSnapshot('sidecar-inbound.json', 0);
    writeSnapshot(
      at('older'),
      { ...s, createdAt: '2001-01-01T00:00:00.000Z', notes: 'a\nb' },
      false,
    );
    writeSnapshot(at('newer'), { ...s, createdAt: '2001-02-01T00:00:00.000Z' }, false);
    writeFileSync(at('broken'), '{"version": 1, "hosts": [');
    const listed = listSnapshots(env);
    const saved = listed.filter((l) => l.kind === 'saved');
    // The broken file has no createdAt: its date is its mtime, today, the most recent.
    expect(saved.map((l) => l.name)).toEqual(['broken', 'newer', 'older']);
    expect(saved.find((l) => l.name === 'older')).toMatchObject({ title: s.name, notes: 'a' });
    expect(saved.find((l) => l.name === 'broken')?.unreadable).toMatch(
      /broken\.json:1:26: not valid JSON/,
    );
    const curated = listed.filter((l) => l.kind === 'curated').map((l) => `${l.name}.json`);
    expect([...curated].sort()).toEqual([...shipped].sort());
    expect(listed.slice(saved.length).every((l) => l.kind === 'curated')).toBe(true);
  });
});

describe('an atomic write', () => {
  it('leaves the previous file whole, and no temporary file, when it fails before the rename', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-atomic-'));
    const path = join(dir, 'kept.json');
    writeFileAtomic(path, 'old\n');
    expect(() =>
      writeFileAtomic(path, 'new\n', {
        beforeRename: () => {
          throw new Error('disk gone');
        },
      }),
    ).toThrow('disk gone');
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['kept.json']);
  });
});
