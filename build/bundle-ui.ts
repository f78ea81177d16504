/**
 * `npm run build`'s last step, under Bun (`bun build/bundle-ui.ts`): the UI command and all it
 * imports (Ink, React, yoga-layout, nfdb's own modules) in one ESM file for Node,
 * dist/bundle/tui.js, which `nfdb` loads for the UI when it is there and not older than the
 * modules (source/io/ui-bundle.ts). Loading some 600 modules one by one was about a third of the
 * UI's first frame on a 10,000-service node; one file loads in a third of that time.
 *
 * The file sits two levels under the package, as dist/io/*.js do, so that the paths nfdb's
 * modules make from import.meta.url (snapshots/, package.json, dist/build-info.json) still hold.
 * React is not told it is in production here: nfdb sets NODE_ENV before it loads the UI, and
 * whoever sets NODE_ENV keeps theirs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-info.js';
import { type BunPlugin, esmJsonc, noDevtools } from './bun-plugins.js';

declare const Bun: {
  build(options: {
    entrypoints: string[];
    outdir: string;
    naming: string;
    target: 'node';
    format: 'esm';
    plugins: BunPlugin[];
  }): Promise<{ success: boolean; logs: unknown[] }>;
};

async function main(): Promise<number> {
  if (typeof Bun === 'undefined') {
    process.stderr.write('bundle-ui: run me with bun (npm run build does)\n');
    return 2;
  }
  const entry = join(ROOT, 'dist/commands/tui.js');
  if (!existsSync(entry)) {
    process.stderr.write('bundle-ui: dist/commands/tui.js is missing: run tsc first\n');
    return 1;
  }
  const result = await Bun.build({
    entrypoints: [entry],
    outdir: join(ROOT, 'dist/bundle'),
    naming: 'tui.js',
    target: 'node',
    format: 'esm',
    plugins: [noDevtools, esmJsonc],
  });
  if (!result.success) {
    for (const log of result.logs) process.stderr.write(`bundle-ui: ${String(log)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
