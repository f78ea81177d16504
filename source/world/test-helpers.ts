/**
 * Shared by the world's tests: a shipped scenario from snapshots/, loaded as nfdb loads a file.
 * Test code only; nothing in the program imports it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshotText } from '../io/read-snapshot.js';
import type { Scenario } from '../model/index.js';

export const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');

/** `snapshots/NAME.json`; a file that does not load fails the test that reads it. */
export function snapshot(name: string): Scenario {
  const file = join(SNAPSHOTS, `${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}
