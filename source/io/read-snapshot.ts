/**
 * Reads a snapshot (or a scenario file, its version 0): JSON with a line and column on a syntax
 * error, migrated forward to this nfdb's version, checked against the schema with each error's
 * field path, then loaded as a scenario. Every error names the file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Backend, Scenario } from '../model/index.js';
import { RULE_FIELDS, validateAgainst } from '../world/from-file.js';
import { restoreSession } from '../world/snapshot-edits.js';
import { migrateSnapshot } from '../world/snapshot-migrate.js';
import { type SnapshotFile, scenarioPart, snapshotSchema } from '../world/snapshot-schema.js';
import type { Session } from '../world/what-if-session.js';
import { NFDB_VERSION } from './nfdb-version.js';
import { cannotRead, whyUnreadable } from './read-error.js';
import { DEFAULT_MAX_SIZE } from './read-limited.js';
import { loadScenarioFile, parseJson } from './read-scenario.js';
import { readUserTextSync } from './shipped.js';

export type Checked =
  | { readonly ok: true; readonly snapshot: SnapshotFile }
  | { readonly ok: false; readonly errors: readonly string[] };

export type LoadedSnapshot =
  | {
      readonly ok: true;
      readonly snapshot: SnapshotFile;
      /** The scenario with the snapshot's edits: the one its trace is of. */
      readonly scenario: Scenario;
      /** The edits as a what-if session on the scenario as written, to undo and redo. */
      readonly whatIf: Session;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly string[] };

/** The text as a snapshot of this nfdb's version, its rules not read yet. */
export function checkSnapshotText(text: string, file: string): Checked {
  const json = parseJson(text, file);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const migrated = migrateSnapshot(json.value, NFDB_VERSION);
  if (!migrated.ok) return { ok: false, errors: [`${file}: ${migrated.error}`] };
  const valid = validateAgainst(snapshotSchema, migrated.value, file);
  if (!valid.ok) return { ok: false, errors: valid.errors };
  const errors = [...unknownEditHosts(valid.value, file), ...cursorOutside(valid.value, file)];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, snapshot: valid.value };
}

function unknownEditHosts(snapshot: SnapshotFile, file: string): string[] {
  const hosts = new Set(snapshot.hosts.map((h) => h.name));
  const unknown = (list: SnapshotFile['edits'], name: string) =>
    list.flatMap((e, i) =>
      e.host === undefined || hosts.has(e.host)
        ? []
        : [`${file}: ${name}[${i}].host: no host named "${e.host}"`],
    );
  return [...unknown(snapshot.edits, 'edits'), ...unknown(snapshot.undone, 'undone')];
}

/** The cursor's traffic item must be one of the scenario's; its step is checked on the trace. */
function cursorOutside(snapshot: SnapshotFile, file: string): string[] {
  const item = snapshot.cursor.traffic;
  const count = snapshot.traffic.length;
  if (item === undefined || item < count) return [];
  const has = count === 0 ? 'no traffic' : `traffic items 0 to ${count - 1}`;
  return [`${file}: cursor.traffic: no traffic item ${item} (the scenario has ${has})`];
}

export function loadSnapshotText(text: string, file: string, backend?: Backend): LoadedSnapshot {
  const checked = checkSnapshotText(text, file);
  if (!checked.ok) return checked;
  const { snapshot } = checked;
  const loaded = loadScenarioFile(scenarioPart(snapshot), text, file, backend);
  if (!loaded.ok) return loaded;
  const edited = restoreSession(loaded.scenario, snapshot.edits, snapshot.undone, file);
  if (!edited.ok) return edited;
  const { scenario, session } = edited;
  return { ok: true, snapshot, scenario, whatIf: session, warnings: loaded.warnings };
}

export async function readSnapshot(
  file: string,
  backend?: Backend,
  maxBytes = DEFAULT_MAX_SIZE,
): Promise<LoadedSnapshot> {
  let text: string;
  try {
    // As a scenario is read: a regular file, no larger than the limit.
    text = readUserTextSync(file, maxBytes);
  } catch (error) {
    return { ok: false, errors: [cannotRead(file, error)] };
  }
  return loadSnapshotText(text, file, backend);
}

/**
 * The snapshot with every `{"file": …}` rules reference replaced by the file's text, so that it
 * stands alone wherever it is saved. `file` is where the references are relative to.
 */
export function inlineRules(
  snapshot: SnapshotFile,
  file: string,
): { ok: true; snapshot: SnapshotFile } | { ok: false; errors: string[] } {
  const base = dirname(resolve(file));
  const errors: string[] = [];
  const hosts = snapshot.hosts.map((host, index) => {
    const out = { ...host };
    for (const which of RULE_FIELDS) {
      const given = host[which];
      if (given === undefined || typeof given === 'string') continue;
      try {
        out[which] = readFileSync(resolve(base, given.file), 'utf8');
      } catch (error) {
        errors.push(
          `${file}: hosts[${index}].${which}.file: cannot read ${given.file}: ${whyUnreadable(error)}`,
        );
      }
    }
    return out;
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, snapshot: { ...snapshot, hosts } };
}
