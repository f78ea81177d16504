/**
 * The UI's snapshots, done here because the UI does no I/O: the investigation on screen as a
 * snapshot to save (the scenario as the user gave it, rules as text, with the UI's cursor, notes
 * and what-if changes), and the library the picker lists and opens from. A save is checked
 * first: a snapshot that would not reproduce the trace on screen step for step is never written.
 */
import { resolve } from 'node:path';
import { NFDB_VERSION } from '../io/nfdb-version.js';
import { rememberRecent } from '../io/preferences.js';
import { inlineRules, loadSnapshotText, readSnapshot } from '../io/read-snapshot.js';
import { listSnapshots, savePath, snapshotText, writeSnapshot } from '../io/snapshot-store.js';
import type { Scenario, Trace } from '../model/index.js';
import { cursorStep } from '../trace/cursor-step.js';
import type {
  Investigation,
  SaveRequest,
  SaveResult,
  SnapshotLibrary,
} from '../ui/snapshot/types.js';
import { runOf } from '../ui/what-if/session.js';
import { simulate } from '../world/simulate.js';
import type { SnapshotFile } from '../world/snapshot-schema.js';
import { withScenarioTraffic } from '../world/snapshot-traffic.js';
import type { Session } from '../world/what-if-session.js';
import type { CommandContext } from './context.js';
import { readProxyFlags } from './proxy-flags.js';
import { snapshotSource, withFlags } from './save.js';

/** Why the investigation the flags describe cannot be saved from the UI, if it cannot. */
function unsavable(ctx: CommandContext, file: string | undefined): string | undefined {
  const proxy = readProxyFlags(ctx.flags);
  const fitted =
    file === undefined && (ctx.flags.rules !== undefined || (proxy.ok && proxy.value.any));
  if (fitted)
    return 'the built-in pod fitted to --rules or the proxy flags is no scenario file; save one from a scenario file (see snapshots/)';
  if (ctx.flags.rules === '-') return 'its rules came from standard input';
  return undefined;
}

/**
 * What a snapshot holds before the UI's changes: none of the file's edits (the UI's what-if
 * holds them, to undo), but --proxy-mode, which set the scenario they were made on.
 */
function beforeChanges(ctx: CommandContext, snapshot: SnapshotFile): SnapshotFile {
  const mode = ctx.flags.proxyMode;
  const flagged = mode === 'terminate' || mode === 'rewrite' ? [{ proxyMode: mode } as const] : [];
  return { ...snapshot, edits: flagged, undone: [] };
}

/** The snapshot the investigation would be saved as, its cursor and notes still to come. */
export async function snapshotBase(
  ctx: CommandContext,
  file: string | undefined,
): Promise<{ ok: true; base: SnapshotFile } | { ok: false; why: string }> {
  const why = unsavable(ctx, file);
  if (why !== undefined) return { ok: false, why };
  const quiet = { ...ctx, stderr: { write: () => true } } as unknown as CommandContext;
  const source = await snapshotSource(quiet, file);
  const flagged = source.ok ? await withFlags(quiet, source.value) : source;
  if (!flagged.ok) return { ok: false, why: 'its scenario does not read back as a snapshot' };
  const seed = ctx.flags.seed;
  const base = beforeChanges(ctx, flagged.value);
  return typeof seed === 'number'
    ? { ok: true, base: { ...base, settings: { ...base.settings, seed } } }
    : { ok: true, base };
}

const sameSteps = (a: Trace, b: Trace) => JSON.stringify(a.steps) === JSON.stringify(b.steps);

/** Saves `base` with the request's cursor, notes and changes, if it reproduces its trace. */
export function saver(base: SnapshotFile) {
  return async (request: SaveRequest): Promise<SaveResult> => {
    const where = savePath(request.name);
    if (!where.ok) return { ok: false, message: where.message };
    const snapshot: SnapshotFile = {
      ...(request.scenario ? withScenarioTraffic(base, request.scenario) : base),
      notes: request.notes,
      edits: [...base.edits, ...request.edits],
      undone: [...request.undone],
      cursor: request.cursor,
      nfdb: NFDB_VERSION,
      createdAt: new Date().toISOString(),
    };
    const loaded = loadSnapshotText(snapshotText(snapshot), where.path);
    if (!loaded.ok) return { ok: false, message: loaded.errors.join('; ') };
    if (!sameSteps(simulate(loaded.scenario), request.trace))
      return { ok: false, message: 'the snapshot would not reproduce this trace; nothing written' };
    const written = writeSnapshot(where.path, snapshot, request.force);
    if (written.ok) rememberRecent(resolve(where.path));
    return written.ok ? { ok: true, path: where.path } : written;
  };
}

/** The investigation a snapshot holds, opened at its cursor, ready to be saved again. */
export function investigationOf(
  run: { scenario: Scenario; trace: Trace },
  base: { ok: true; base: SnapshotFile } | { ok: false; why: string },
  snapshot?: SnapshotFile,
  whatIf?: Session,
): Investigation {
  const cursor = snapshot?.cursor;
  const { scenario, trace } = run;
  return {
    scenario,
    trace,
    ...(whatIf && { whatIf }),
    cursor,
    notes: snapshot?.notes ?? '',
    findingsFirst: (cursor?.step ?? 0) === 0,
    ...(base.ok ? { save: saver(base.base) } : { why: base.why }),
  };
}

async function open(path: string) {
  const loaded = await readSnapshot(path);
  if (!loaded.ok) return { ok: false, message: loaded.errors.join('; ') } as const;
  const run = runOf(loaded.whatIf);
  const { trace } = run;
  const last = trace.steps.length - 1;
  const saved = cursorStep(trace, loaded.snapshot.cursor);
  if (saved > last)
    return {
      ok: false,
      message: `${path}: cursor.step: ${saved} is past the trace's last step ${last}`,
    } as const;
  const inlined = inlineRules(loaded.snapshot, path);
  const base = inlined.ok
    ? { ok: true as const, base: { ...inlined.snapshot, edits: [], undone: [] } }
    : { ok: false as const, why: inlined.errors.join('; ') };
  rememberRecent(resolve(path));
  return {
    ok: true,
    investigation: investigationOf(run, base, loaded.snapshot, loaded.whatIf),
  } as const;
}

/** The saved and curated snapshots, as `nfdb snapshots` lists them. */
export const library: SnapshotLibrary = {
  list: async () => listSnapshots(),
  open,
};
