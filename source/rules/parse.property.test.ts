/**
 * Property tests: whatever text users paste, the parsers answer with diagnostics and never
 * throw; and whatever loads, nfdb's own iptables-save output reads back to the same text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMATS, parseRules, toIptablesSave } from './index.js';

// Seeds for the mutations: the corpus of real rulesets the tests keep (test/corpus).
const corpusDir = fileURLToPath(new URL('../../test/corpus', import.meta.url));
const corpus = readdirSync(corpusDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(rules|cmds)$/.test(f))
  .map((f) => readFileSync(`${corpusDir}/${f}`, 'utf8'));

const WORDS = [
  '-A',
  '-I',
  '-N',
  '-P',
  '-m',
  '-j',
  '-g',
  '!',
  '-p',
  'tcp',
  '--dport',
  '80',
  '-s',
  '10.0.0.0/8',
  '*nat',
  'COMMIT',
  '"',
  "'",
  ':X - [0:0]',
  '--to-ports',
  'REDIRECT',
  'owner',
  '--uid-owner',
  '[1:2]',
  '::1',
  '-t',
  'nat',
  '-o',
  'lo',
  '65536',
  '0x539/0xfff',
  '',
];

/** A corpus file with a few of its lines broken in the ways pasted text breaks. */
const mutated = fc
  .tuple(
    fc.constantFrom(...corpus),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('drop-token', 'swap', 'insert', 'truncate', 'delete-line'),
        fc.nat(),
        fc.constantFrom(...WORDS),
      ),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([text, edits]) => {
    const lines = text.split('\n');
    for (const [lineAt, kind, at, word] of edits) {
      const i = lineAt % lines.length;
      const tokens = (lines[i] ?? '').split(' ');
      const j = at % Math.max(tokens.length, 1);
      if (kind === 'drop-token') tokens.splice(j, 1);
      if (kind === 'swap') [tokens[0], tokens[j]] = [tokens[j] ?? '', tokens[0] ?? ''];
      if (kind === 'insert') tokens.splice(j, 0, word);
      lines[i] =
        kind === 'truncate'
          ? (lines[i] ?? '').slice(0, at % ((lines[i]?.length ?? 0) + 1))
          : tokens.join(' ');
      if (kind === 'delete-line') lines.splice(i, 1);
    }
    return lines.join('\n');
  });

function roundTripIsStable(text: string): void {
  const first = parseRules(text, { file: 'x' });
  if (first.diagnostics.some((d) => d.severity === 'error')) return;
  for (const ruleset of first.rulesets) {
    const saved = toIptablesSave(ruleset, { counters: true });
    const again = parseRules(saved, { file: 'y', family: ruleset.family });
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(toIptablesSave(again.rulesets[0] ?? ruleset, { counters: true })).toBe(saved);
  }
}

describe('parseRules on hostile input', () => {
  it('never throws on random text, in any format', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.constantFrom(undefined, ...FORMATS),
        (text, format) => {
          const result = parseRules(text, { file: 'random', format });
          expect(Array.isArray(result.diagnostics)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on random lines built from iptables words', () => {
    const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join('\n');
        parseRules(text, { file: 'words' });
        roundTripIsStable(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated corpus files, and what loads round-trips', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        roundTripIsStable(text);
      }),
      { numRuns: 300 },
    );
  });

  it('every error has a position inside the input', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const lineCount = text.split('\n').length;
        for (const d of parseRules(text, { file: 'm' }).diagnostics) {
          expect(d.pos.line).toBeGreaterThanOrEqual(1);
          expect(d.pos.line).toBeLessThanOrEqual(lineCount + 1);
          expect(d.pos.column).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
