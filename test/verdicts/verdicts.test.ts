/**
 * `nfdb check` held to the kernel's verdict: every generated single-rule file (see cases.ts) is
 * judged by the real iptables-legacy-restore and iptables-nft-restore in network namespaces,
 * and nfdb, loading the file as each backend, must accept and refuse the same files. Where the
 * two backends part, nfdb must say so in a warning. Nothing is cached: the tools judge anew on
 * every run (a few seconds: the files are shared among namespaces).
 */
import { describe, expect, it } from 'vitest';
import { kernelToolsMissing } from '../../source/io/netns.js';
import { MATCHES, TARGETS } from '../../source/netfilter/registry.js';
import { coveredOptions, verdictCases } from './cases.js';
import { type Comparison, compare, describe as describeDisagreement } from './compare.js';
import { judge } from './judge.js';
import { KNOWN, knownWhy } from './known.js';

const missing = kernelToolsMissing();
if (missing) console.warn(`\n*** KERNEL VERDICT TESTS SKIPPED: ${missing} ***\n`);

describe('the verdict cases', () => {
  it('give samples for every option of every module nfdb registers', () => {
    const covered = coveredOptions();
    const lacking: string[] = [];
    for (const module of [...MATCHES.values(), ...TARGETS.values()]) {
      const options = covered.get(module.name);
      if (!options) lacking.push(module.name);
      for (const name of Object.keys(module.options))
        if (options && !options.has(name)) lacking.push(`${module.name} --${name}`);
    }
    expect(lacking).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)(
  `nfdb check against the kernel's verdict${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    let result: Comparison | undefined;
    const judged = async (): Promise<Comparison> => {
      if (!result) {
        const cases = verdictCases();
        result = compare(cases, await judge(cases));
      }
      return result;
    };

    it('accepts what each backend accepts and refuses what it refuses, but the known cases', async () => {
      const r = await judged();
      const unexplained = r.disagreements.filter((d) => knownWhy(d.id) === undefined);
      expect(unexplained.map(describeDisagreement)).toEqual([]);
    });

    it('has no known disagreement that is gone (the list only shrinks)', async () => {
      const r = await judged();
      const gone = KNOWN.filter(([part]) => !r.disagreements.some((d) => d.id.includes(part)));
      expect(gone.map(([part]) => part)).toEqual([]);
    });

    it('says so where the two backends part', async () => {
      const r = await judged();
      expect(r.split.length).toBeGreaterThan(0);
      const unsaid = r.split.filter((s) => !s.said && knownWhy(s.id) === undefined);
      expect(unsaid.map((s) => s.id)).toEqual([]);
    });
  },
);
