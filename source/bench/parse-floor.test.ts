import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRules } from '../rules/index.js';
import { writeKubeProxyDump } from './kube-proxy.js';
import { parsePieces, writePieces } from './parse-floor.js';

/** The floor is a claim about the whole dump: its pieces must hold every rule of it, and load. */
describe('the parse floor', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  function dumpInPieces(chars: number): { readonly dump: string; readonly dir: string } {
    const dump = writeKubeProxyDump({ services: 40, endpointsPerService: 3 }).file;
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-floor-test-'));
    made.push(dump, dir);
    writePieces(dump, dir, chars);
    return { dump, dir };
  }

  function rulesOf(text: string): number {
    const result = parseRules(text, { file: 'dump' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    let rules = 0;
    for (const r of result.rulesets)
      for (const t of r.tables) for (const c of t.chains) rules += c.rules.length;
    return rules;
  }

  it('cuts a dump into pieces that load without an error and hold all its rules', () => {
    const { dump, dir } = dumpInPieces(2000);
    const pieces = readdirSync(dir);
    expect(pieces.length).toBeGreaterThan(10);
    const floor = parsePieces(dir);
    expect(floor.errors).toBe(0);
    expect(floor.pieces).toBe(pieces.length);
    expect(floor.rules).toBe(rulesOf(readFileSync(dump, 'utf8')));
    // It reads the pieces it is given: one fewer, fewer rules.
    unlinkSync(join(dir, pieces[0] as string));
    expect(parsePieces(dir).rules).toBeLessThan(floor.rules);
  });

  it('declares in a piece only the chains its lines append to', () => {
    const { dump, dir } = dumpInPieces(2000);
    const declared = (text: string) => text.split('\n').filter((l) => l.startsWith(':')).length;
    const inPieces = readdirSync(dir)
      .map((name) => declared(readFileSync(join(dir, name), 'utf8')))
      .reduce((a, b) => a + b, 0);
    const appendedTo = new Set(
      readFileSync(dump, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('-A '))
        .map((l) => l.split(' ')[1]),
    );
    // A chain whose rules straddle two pieces is declared in both: at most one more a piece.
    expect(inPieces).toBeGreaterThanOrEqual(appendedTo.size);
    expect(inPieces).toBeLessThanOrEqual(appendedTo.size + readdirSync(dir).length);
  });
});
