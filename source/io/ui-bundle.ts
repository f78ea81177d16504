/**
 * The UI in one file, dist/bundle/tui.js, which `npm run build` writes last (build/bundle-ui.ts):
 * its URL when it is there and was written after the UI command's own module, so that a build
 * that stopped before the bundle (or tsc run alone) never starts yesterday's UI. The single
 * binary has none: it is one bundle already.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLE = new URL('../bundle/tui.js', import.meta.url);
const MODULE = new URL('../commands/tui.js', import.meta.url);

const writtenAt = (url: URL) => {
  if (url.protocol !== 'file:') return undefined;
  return statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
};

export function uiBundle(): string | undefined {
  const bundle = writtenAt(BUNDLE);
  const module = writtenAt(MODULE);
  return bundle !== undefined && module !== undefined && bundle >= module ? BUNDLE.href : undefined;
}
