/**
 * A command in one file, dist/bundle/NAME.js, which `npm run build` writes last
 * (build/bundle-commands.ts): its URL when it is there and was written after the command's own
 * module, so that a build that stopped before the bundles (or tsc run alone) never starts
 * yesterday's code. Loading a command's modules one by one was most of its start-up (the UI's
 * some 600, check's and run's some 170); one file loads in a third of the time or less. The
 * single binary has none: it is one bundle already. NFDB_NO_BUNDLE=1 loads the modules, to
 * compare the two or to debug.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The commands `npm run build` bundles; the others load their modules. */
export const BUNDLED = ['tui', 'check', 'run'] as const;
export type BundledCommand = (typeof BUNDLED)[number];

const writtenAt = (url: URL) => {
  if (url.protocol !== 'file:') return undefined;
  return statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
};

/** `dist`: the build's root, where bundle/ and commands/ are (a test gives its own). */
export function commandBundle(
  name: BundledCommand,
  dist: URL = new URL('..', import.meta.url),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (env.NFDB_NO_BUNDLE === '1') return undefined;
  const bundle = new URL(`bundle/${name}.js`, dist);
  const built = writtenAt(bundle);
  const module = writtenAt(new URL(`commands/${name}.js`, dist));
  return built !== undefined && module !== undefined && built >= module ? bundle.href : undefined;
}
