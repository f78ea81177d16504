/**
 * Imports run one way: a layer imports only the layers below it, so the model floor, the rules
 * and the engine can be read, tested and reused without what is built on them. The order, bottom
 * to top; layers on one rung (ui, io) do not import each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE = dirname(fileURLToPath(import.meta.url));

const RUNGS: readonly (readonly string[])[] = [
  ['model'],
  ['netfilter'],
  ['rules'],
  ['engine'],
  ['world'],
  ['trace'],
  ['ui', 'io'],
  ['commands', 'bench'],
  ['cli'],
];

/** The layer a file of source/ belongs to, by its folder. */
function layerOf(file: string): string {
  const parts = relative(SOURCE, file).split(/[\\/]/);
  if (parts[0] === 'netfilter' && parts[1] === 'engine') return 'engine';
  if (parts.length === 1) return parts[0]?.replace(/\.tsx?$/, '') ?? '';
  return parts[0] ?? '';
}

function rung(layer: string): number {
  return RUNGS.findIndex((r) => r.includes(layer));
}

/** Whether `from` may import `to`: the same layer, or one on a lower rung. */
function mayImport(from: string, to: string): boolean {
  return from === to || rung(to) < rung(from);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    // Tests and their helpers may reach across layers to set a scene up.
    return /\.tsx?$/.test(e.name) && !/(\.test\.tsx?|test-helpers\.ts)$/.test(e.name) ? [path] : [];
  });
}

/** Relative specifiers of static imports and exports, and of `import('…')`. */
function importsOf(text: string): string[] {
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)];
  return found.map((m) => m[1] ?? '');
}

describe('layers', () => {
  it('knows every folder of source/', () => {
    const unknown = sourceFiles(SOURCE).filter((f) => rung(layerOf(f)) < 0);
    expect(unknown.map((f) => relative(SOURCE, f))).toEqual([]);
  });

  it('imports run from higher layers to lower ones only', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(SOURCE)) {
      const from = layerOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const to = layerOf(resolve(dirname(file), spec));
        if (!mayImport(from, to))
          wrong.push(`${relative(SOURCE, file)} (${from}) → ${spec} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses an import up the stack and across a rung', () => {
    expect(mayImport('engine', 'model')).toBe(true);
    expect(mayImport('rules', 'netfilter')).toBe(true);
    expect(mayImport('netfilter', 'rules')).toBe(false);
    expect(mayImport('engine', 'trace')).toBe(false);
    expect(mayImport('model', 'rules')).toBe(false);
    expect(mayImport('ui', 'io')).toBe(false);
  });
});
