/** Writes a live capture as a scenario file; an error comes back as a sentence. */
import { writeFileSync } from 'node:fs';
import type { LiveWorld } from '../../world/live/build.js';
import { liveScenarioFile } from '../../world/live/scenario-file.js';

export function saveCapture(file: string, live: LiveWorld): string | undefined {
  try {
    writeFileSync(file, `${JSON.stringify(liveScenarioFile(live), null, 2)}\n`);
    return undefined;
  } catch (error) {
    return `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}
