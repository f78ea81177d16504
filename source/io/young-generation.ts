/**
 * V8 grows its young generation (up to 2 × 16 MB semi-spaces) when most new objects survive a
 * scavenge. Loading a ruleset is exactly that case: nearly everything the parser makes is the
 * model, which lives on, so the larger young generation only copies survivors more and adds
 * ~30 MB to the peak RSS of a 10k-service dump without saving time (issue 18). While a load
 * runs, the young generation keeps the size it has; afterwards it may grow again, for the
 * engine's short-lived packets and trace steps.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own default (`node --v8-options`). */
const GROWTH_FACTOR = 2;

export function withoutYoungGrowth<T>(load: () => T): T {
  setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return load();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${GROWTH_FACTOR}`);
  }
}
