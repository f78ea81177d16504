/**
 * `npm run compile`: turns dist/ into one executable, build/out/nfdb, with Bun's compiler (the
 * `bun` devDependency, pinned; this script runs under it: `bun build/compile.ts`). The binary
 * holds the runtime, the bundled code, the shipped snapshots and the build's facts, and needs
 * nothing beside it.
 *
 *   bun build/compile.ts [--target bun-linux-arm64] [--outfile build/out/nfdb-linux-arm64]
 *
 * Why each option is what it is (build/README.md says more):
 * - react-devtools-core is a stub: Ink imports it only when DEV=true, from a module whose static
 *   import the bundler hoists, so marked external the binary would fail at start looking for it,
 *   and installed it would be a 25 MB devDependency for code nfdb never runs.
 * - bytecode, as ESM: the code is compiled when the binary is built, not each time it starts
 *   (`nfdb --version` 80 ms → 15 ms). Bun 1.4 keeps an ESM module's bytecode, so yoga-layout's
 *   top-level await still works; older Bun forced CommonJS for bytecode, which broke it.
 * - the shipped files go in as one generated module: the entry hands them to source/io/shipped.ts
 *   before the CLI is loaded (a dynamic import, so that it runs after).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { shippedFile, shippedFiles } from '../source/io/shipped.js';
import { commitOfTree, packageVersion, ROOT } from './build-info.js';
import { type BunPlugin, noDevtools } from './bun-plugins.js';

declare const Bun: {
  readonly version: string;
  build(options: {
    entrypoints: string[];
    compile: { outfile: string; target?: string };
    minify: boolean;
    bytecode: boolean;
    format: 'esm';
    define: Record<string, string>;
    plugins: BunPlugin[];
  }): Promise<{ success: boolean; logs: unknown[] }>;
};

const OUT = join(ROOT, 'build/out');

/** The entry that Bun compiles: the shipped files and build facts, then the CLI. */
function writeEntry(bun: string): string {
  const files: Record<string, string> = {};
  for (const path of shippedFiles()) files[path] = shippedFile(path) ?? '';
  const shipped = {
    files,
    build: {
      version: packageVersion(),
      commit: commitOfTree(),
      runtime: `single binary, Bun ${bun}`,
    },
  };
  const entry = join(OUT, 'entry.mjs');
  writeFileSync(
    entry,
    [
      "import { holdShipped } from '../../dist/io/shipped.js';",
      `holdShipped(${JSON.stringify(shipped)});`,
      "await import('../../dist/cli.js');",
      '',
    ].join('\n'),
  );
  return entry;
}

function parseArgs(argv: readonly string[]): { target?: string; outfile: string } {
  let target: string | undefined;
  let outfile = join(OUT, 'nfdb');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--target' || arg === '--outfile') && value !== undefined) {
      if (arg === '--target') target = value;
      else outfile = value;
      i++;
    } else throw new Error(`unknown option ${arg} (expected --target T, --outfile F)`);
  }
  return target === undefined ? { outfile } : { target, outfile };
}

async function main(): Promise<number> {
  if (typeof Bun === 'undefined') {
    process.stderr.write('compile: run me with bun (npm run compile does)\n');
    return 2;
  }
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist/cli.js'))) {
    process.stderr.write('compile: dist/cli.js is missing: run npm run build first\n');
    return 1;
  }
  mkdirSync(OUT, { recursive: true });
  const result = await Bun.build({
    entrypoints: [writeEntry(Bun.version)],
    compile: options.target
      ? { outfile: options.outfile, target: options.target }
      : { outfile: options.outfile },
    minify: true,
    bytecode: true,
    format: 'esm',
    // React's production build: the development one checks every render.
    define: { 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
    plugins: [noDevtools],
  });
  if (!result.success) {
    for (const log of result.logs) process.stderr.write(`compile: ${String(log)}\n`);
    return 1;
  }
  const mb = statSync(options.outfile).size / 1e6;
  process.stdout.write(
    `compile: ${relative(process.cwd(), options.outfile)}, ${mb.toFixed(1)} MB\n`,
  );
  return 0;
}

process.exitCode = await main();
