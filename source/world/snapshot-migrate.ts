/**
 * Older snapshots migrate forward one version at a time, so a file written by any earlier nfdb
 * still opens; a newer one is refused instead of half-read. Version 0 is a scenario file (no
 * `version` field): it becomes a snapshot with no edits, no notes and the cursor at step 0.
 */
import { SNAPSHOT_VERSION } from './snapshot-schema.js';

type Json = Record<string, unknown>;

/** MIGRATIONS[n] turns a version n snapshot into a version n + 1 one. */
export const MIGRATIONS: Readonly<Record<number, (from: Json) => Json>> = {
  0: (from) => ({ ...from, version: 1 }),
  // Version 2 only added kinds of edits and the undone ones: a version 1 file reads as it is.
  1: (from) => ({ ...from, version: 2 }),
  // Trace version 3 made the rules a packet passes over one step: a version 2 cursor's number
  // counted each of them, so it is kept as `ruleStep` for the trace to place.
  2: (from) => ({ ...from, version: 3, ...ruleStepCursor(from.cursor) }),
};

function ruleStepCursor(cursor: unknown): Json {
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return {};
  const { step } = cursor as Json;
  return typeof step === 'number' && step > 0 ? { cursor: { ...cursor, ruleStep: step } } : {};
}

export type Migrated =
  | { readonly ok: true; readonly value: unknown; readonly from: number }
  | { readonly ok: false; readonly error: string };

function versionOf(json: Json): number | string {
  const v = json.version;
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  return `version: expected a whole number from 0 to ${SNAPSHOT_VERSION}, found ${JSON.stringify(v)}`;
}

/**
 * The snapshot at the current version. Anything that is not an object is passed through for the
 * schema to name; `nfdbVersion` goes into the message that refuses a newer file.
 */
export function migrateSnapshot(
  json: unknown,
  nfdbVersion: string,
  migrations: Readonly<Record<number, (from: Json) => Json>> = MIGRATIONS,
  current: number = SNAPSHOT_VERSION,
): Migrated {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: true, value: json, from: current };
  let value = json as Json;
  const from = versionOf(value);
  if (typeof from === 'string') return { ok: false, error: from };
  if (from > current)
    return {
      ok: false,
      error: `version: ${from} is newer than this nfdb (${nfdbVersion}) reads (up to ${current}): upgrade nfdb to open it`,
    };
  for (let v = from; v < current; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, error: `version: no migration from version ${v}` };
    value = step(value);
  }
  return { ok: true, value, from };
}
