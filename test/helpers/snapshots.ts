/** A shipped snapshot (snapshots/NAME.json) as the scenario it holds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshotText } from '../../source/io/read-snapshot.js';
import type { Scenario } from '../../source/model/index.js';
import { ROOT } from './cli.js';

export function snapshot(name: string): Scenario {
  const file = join(ROOT, `snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`);
  return loaded.scenario;
}
