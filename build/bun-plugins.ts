/**
 * What Bun's bundler needs told about nfdb's dependencies, for the binary (compile.ts) and the
 * Node build's command bundles (bundle-commands.ts) alike; build/README.md says why each is so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-info.js';

/** The part of Bun's plugin API these use (the project's types are Node's). */
export interface BunPlugin {
  name: string;
  setup(build: {
    onResolve(o: { filter: RegExp }, f: () => { path: string; namespace?: string }): void;
    onLoad(
      o: { filter: RegExp; namespace?: string },
      f: (args: { path: string }) => { contents: string; loader: 'js' },
    ): void;
  }): void;
}

/** Ink imports react-devtools-core only when DEV=true: an empty stub in its place. */
export const noDevtools: BunPlugin = {
  name: 'no-react-devtools',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'no-react-devtools',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-react-devtools' }, () => ({
      contents: 'export default {};',
      loader: 'js',
    }));
  },
};

/**
 * jsonc-parser's ESM build: for Node, Bun picks its UMD one, which requires its own files at run
 * time (`Cannot find module './impl/format'` from the bundle).
 */
export const esmJsonc: BunPlugin = {
  name: 'esm-jsonc-parser',
  setup(build) {
    build.onResolve({ filter: /^jsonc-parser$/ }, () => ({
      path: join(ROOT, 'node_modules/jsonc-parser/lib/esm/main.js'),
    }));
  },
};

/**
 * yoga-layout (Ink's layout) holds its wasm as a data: URL and fetches it when `fetch` is a
 * function. On Node 20, merely reading `fetch` loads undici: about 30 ms of every UI start for a
 * URL that is in memory. Its loader's other path decodes the same base64 itself; the bundle
 * takes that one, by the one test that chooses between them.
 */
export const yogaWithoutFetch: BunPlugin = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const test = '"function"!=typeof fetch';
      if (!source.includes(test))
        throw new Error(`yoga-without-fetch: ${path} no longer tests for fetch as ${test}`);
      return { contents: source.replaceAll(test, '!0'), loader: 'js' };
    });
  },
};
