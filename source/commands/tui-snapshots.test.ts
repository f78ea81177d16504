import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeSnapshot } from '../io/snapshot-store.js';
import { originalRun } from '../ui/what-if/compare.js';
import { runOf } from '../ui/what-if/session.js';
import { addTraffic, parseDestination } from '../world/picked-traffic.js';
import { bookinfoSnapshotJson } from '../world/scenarios/bookinfo-file.js';
import { sessionEntries } from '../world/snapshot-edits.js';
import { type SnapshotFile, snapshotSchema } from '../world/snapshot-schema.js';
import { sendersOf, trafficChoices } from '../world/traffic-choices.js';
import { library } from './tui-snapshots.js';

const GID_OFF = { host: 'reviews', command: '-t nat -D ISTIO_OUTPUT 6', switch: 'off' } as const;
const UID_GONE = { host: 'reviews', command: '-t nat -D ISTIO_OUTPUT 5' };

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nfdb-tui-snapshots-'));
  vi.stubEnv('NFDB_CONFIG_DIR', join(dir, 'config'));
  vi.stubEnv('NFDB_DATA_DIR', join(dir, 'data'));
});
afterEach(() => vi.unstubAllEnvs());

describe('a snapshot with edits opened from the picker', () => {
  it('opens as a what-if to undo, and saves again as it was', async () => {
    const snapshot: SnapshotFile = snapshotSchema.parse({
      ...(bookinfoSnapshotJson() as object),
      edits: [UID_GONE],
      undone: [GID_OFF],
      cursor: { step: 12 },
    });
    const path = join(dir, 'what-if.json');
    expect(writeSnapshot(path, snapshot, false)).toEqual({ ok: true });
    const opened = await library.open(path);
    if (!opened.ok) throw new Error(opened.message);
    const { investigation } = opened;
    const whatIf = investigation.whatIf;
    expect(whatIf?.applied).toHaveLength(1);
    expect(whatIf?.undone).toHaveLength(1);
    expect(investigation.cursor).toEqual({ step: 12 });
    // What is shown is the run of the edits, not of the scenario as written.
    expect(whatIf && runOf(whatIf).trace).toBe(investigation.trace);
    expect(whatIf && originalRun(whatIf).trace.steps).not.toEqual(investigation.trace.steps);

    const again = join(dir, 'again.json');
    const entries = whatIf ? sessionEntries(whatIf) : { edits: [], undone: [] };
    const saved = await investigation.save?.({
      name: again,
      force: false,
      cursor: { step: 12 },
      notes: '',
      trace: investigation.trace,
      ...entries,
    });
    expect(saved).toEqual({ ok: true, path: again });
    const written = JSON.parse(readFileSync(again, 'utf8'));
    expect(written).toMatchObject({ edits: [UID_GONE], undone: [GID_OFF] });
  });
});

describe('traffic added on screen (T)', () => {
  it('is saved with the listener host it needed, and the snapshot opens to the same trace', async () => {
    const path = join(dir, 'loaded.json');
    const loaded = snapshotSchema.parse({
      ...(bookinfoSnapshotJson() as object),
      edits: [UID_GONE],
    });
    expect(writeSnapshot(path, loaded, false)).toEqual({ ok: true });
    const opened = await library.open(path);
    if (!opened.ok) throw new Error(opened.message);
    const { whatIf, save } = opened.investigation;
    if (!whatIf || !save) throw new Error('not a what-if that saves');
    const { world } = whatIf.base;
    const choice = trafficChoices(world).find((c) => c.kind === 'outbound');
    const sender = sendersOf(world, 'reviews').find((s) => s.process === 'reviews');
    const dest = parseDestination('10.9.9.9:8443', 'tcp');
    if (!choice || !sender || !dest.ok) throw new Error('no choice');
    const added = addTraffic(whatIf.base, { choice, sender, destination: dest.value });
    if (!added.ok) throw new Error(added.message);
    const session = { ...whatIf, base: added.scenario };
    const { trace } = runOf(session);
    const request = {
      force: false,
      cursor: { step: 0 },
      notes: '',
      trace,
      ...sessionEntries(session),
    };
    const again = join(dir, 'again.json');
    // Without the scenario the traffic is not in the file, and the trace would not come back.
    expect(await save({ ...request, name: again })).toMatchObject({ ok: false });
    expect(await save({ ...request, name: again, scenario: added.scenario })).toEqual({
      ok: true,
      path: again,
    });
    const reopened = await library.open(again);
    if (!reopened.ok) throw new Error(reopened.message);
    expect(reopened.investigation.trace.steps).toEqual(trace.steps);
    const written = JSON.parse(readFileSync(again, 'utf8'));
    expect(written.hosts.map((h: { name: string }) => h.name)).toContain('server 10.9.9.9');
    expect(written.edits).toEqual([UID_GONE]);
  });
});
