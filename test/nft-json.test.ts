/**
 * `nft -j list ruleset` read beside nft's other forms. The fixtures in test/nft-json/ were made
 * by the real nft (test/nft-json/regenerate.ts): each corpus nft ruleset loaded with `nft -f` in
 * a fresh namespace, then listed as JSON and as text. The JSON must give the model the text
 * listing gives, and packets must take the same paths through it as through the script itself.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NftRuleset, Scenario } from '../source/model/index.js';
import { parseRules } from '../source/rules/index.js';
import { bookinfoScenario } from '../source/world/scenarios/bookinfo.js';
import { simulate } from '../source/world/simulate.js';
import { NFT_JSON_CORPUS } from './nft-json/corpus.js';

function read(text: string, file: string): NftRuleset {
  const r = parseRules(text, { file });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!r.nft) throw new Error(`${file} read as ${r.format}`);
  return r.nft;
}

/**
 * The model without what only says where it was read (positions, ids). nft 1.0.6's JSON leaves
 * out a set's `dynamic` flag, which its text shows; and nft writes `a,b` where the text reader
 * keeps the tokens' `a, b`.
 */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== 'dynamic').map(comparable);
  if (typeof value === 'string') return value.replace(/, /g, ',');
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'pos' && k !== 'origin' && k !== 'id')
        .map(([k, v]) => [k, comparable(v)]),
    );
  return value;
}

/** Every step of every packet as table, chain, position and outcome: the path nfdb shows. */
function paths(nft: NftRuleset, extraTo?: string): string[] {
  const base = bookinfoScenario();
  const hosts = base.world.hosts.map((h) =>
    h.name === 'reviews' ? { ...h, rulesets: [], nft } : h,
  );
  const traffic = extraTo
    ? [
        ...base.traffic,
        {
          fromHost: 'reviews',
          process: 'reviews',
          to: { address: extraTo, port: 80 },
          protocol: 'tcp' as const,
          payload: 10,
        },
      ]
    : base.traffic;
  const scenario: Scenario = { ...base, world: { ...base.world, hosts }, traffic };
  const trace = simulate(scenario);
  return trace.steps.map((s) =>
    s.kind === 'rule'
      ? `${s.host} ${s.hook} ${s.table.name} ${s.chain} #${s.ruleIndex} ${s.matched}`
      : s.kind === 'policy' || s.kind === 'return'
        ? `${s.host} ${s.kind} ${s.table.name} ${s.chain}`
        : `${s.host} ${s.kind}`,
  );
}

describe('nft -j list ruleset', () => {
  for (const { file, loadable } of NFT_JSON_CORPUS) {
    const name = basename(file, '.nft');
    const json = readFileSync(`test/nft-json/${name}.json`, 'utf8');

    it(`${name}: detected as nft JSON, read into the model its nft listing gives`, () => {
      expect(parseRules(json, { file: `${name}.json` }).format).toBe('nft-json');
      const listing = readFileSync(`test/nft-json/${name}.listing`, 'utf8');
      expect(comparable(read(json, `${name}.json`))).toEqual(
        comparable(read(listing, `${name}.listing`)),
      );
    });

    it(`${name}: packets take the paths they take through the script`, () => {
      const script = read(loadable(readFileSync(file, 'utf8')), file);
      const clusterIp = file.includes('kube-proxy') ? '172.30.0.41' : undefined;
      const expected = paths(script, clusterIp);
      expect(expected.some((p) => / #\d+ /.test(p))).toBe(true);
      expect(paths(read(json, `${name}.json`), clusterIp)).toEqual(expected);
    });
  }
});
