/**
 * Scenario mutation: any field of a real snapshot replaced by a wrong type, a junk address or a
 * huge number is either refused with its path or simulated; nothing throws (issue 17 found
 * "internal error: not an address" and a stack overflow this way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../io/read-scenario.js';
import { simulate } from './simulate.js';
import { SNAPSHOTS } from './test-helpers.js';

const SEEDS = ['sidecar-inbound.json', 'router-forward-masquerade.json', 'tproxy-inbound.json'].map(
  (name) => ({
    file: join(SNAPSHOTS, name),
    json: JSON.parse(readFileSync(join(SNAPSHOTS, name), 'utf8')),
  }),
);

const JUNK: readonly unknown[] = [
  '',
  'hello',
  '10.0.0.300',
  '300.0.0.0/8',
  '10.0.0.2/33',
  'fd00:::1',
  '::/129',
  '0x1ffffffff',
  'zzz',
  'default',
  -1,
  -5,
  0,
  2 ** 32,
  2 ** 40,
  2 ** 53 + 2,
  1.5,
  Number.MAX_SAFE_INTEGER,
  null,
  true,
  [],
  {},
  ['banana'],
  { address: 'banana' },
];

/** Every path to a value in the tree, arrays and objects included. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...at, i]));
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      if (k !== '$schema') out.push(...paths(v, [...at, k]));
  return out;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
}

describe('mutated scenarios', () => {
  it('are refused with a field path, or load and simulate; nothing throws', () => {
    const seeds = SEEDS.map((s) => ({ ...s, paths: paths(s.json) }));
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...JUNK)), { minLength: 1, maxLength: 3 }),
        (which, changes) => {
          const seed = seeds[which] as (typeof seeds)[number];
          const json = structuredClone(seed.json);
          for (const [n, value] of changes) {
            const path = seed.paths[n % seed.paths.length] as (string | number)[];
            try {
              setAt(json, path, structuredClone(value));
            } catch {
              // An earlier change replaced a parent of this path: nothing to set.
            }
          }
          const loaded = loadScenarioText(JSON.stringify(json), seed.file);
          if (!loaded.ok) {
            for (const e of loaded.errors) expect(e).toMatch(/^\S+\.json(:\d+:\d+)?: /);
            return;
          }
          expect(() => simulate(loaded.scenario)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
