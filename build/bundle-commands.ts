/**
 * `npm run build`'s last step, under Bun (`bun build/bundle-commands.ts`): the UI, `check` and
 * `run`, each with all it imports (Ink, React, yoga-layout, nfdb's own modules), in one ESM file
 * for Node, dist/bundle/NAME.js, which `nfdb` loads when it is there and not older than the
 * command's module (source/io/command-bundle.ts). Loading some 600 modules one by one was about a
 * third of the UI's first frame on a 10,000-service node, and check's and run's 170 most of their
 * start-up; one file loads in a third of that time.
 *
 * The files sit two levels under the package, as dist/io/*.js do, so that the paths nfdb's
 * modules make from import.meta.url (snapshots/, package.json, dist/build-info.json) still hold.
 * Bun's bundler decides `process.env.NODE_ENV` when it bundles (development, unless told), and
 * keeps only the branch it chose: left to itself it bundles React's development build, which made
 * each keypress a third slower. It is told production, as the binary is (compile.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED } from '../source/io/command-bundle.js';
import { ROOT } from './build-info.js';
import { type BunPlugin, esmJsonc, noDevtools, yogaWithoutFetch } from './bun-plugins.js';

declare const Bun: {
  build(options: {
    entrypoints: string[];
    outdir: string;
    naming: string;
    target: 'node';
    format: 'esm';
    define: Record<string, string>;
    plugins: BunPlugin[];
    external: string[];
  }): Promise<{ success: boolean; logs: unknown[] }>;
};

async function main(): Promise<number> {
  if (typeof Bun === 'undefined') {
    process.stderr.write('bundle-commands: run me with bun (npm run build does)\n');
    return 2;
  }
  const entries = BUNDLED.map((name) => join(ROOT, `dist/commands/${name}.js`));
  const missing = entries.find((e) => !existsSync(e));
  if (missing) {
    process.stderr.write(`bundle-commands: ${missing} is missing: run tsc first\n`);
    return 1;
  }
  const result = await Bun.build({
    entrypoints: entries,
    outdir: join(ROOT, 'dist/bundle'),
    naming: '[name].js',
    target: 'node',
    format: 'esm',
    define: { 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
    plugins: [noDevtools, esmJsonc, yogaWithoutFetch],
    // Graphviz (2.4 MB of wasm as text) draws only a report's SVG: left in node_modules, it is
    // loaded when one is written, not compiled with every start of the UI (~15 ms).
    external: ['@viz-js/viz'],
  });
  if (!result.success) {
    for (const log of result.logs) process.stderr.write(`bundle-commands: ${String(log)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
