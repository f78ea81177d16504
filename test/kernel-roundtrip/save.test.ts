/**
 * The proof that nfdb's iptables-save text is the kernel's: for every corpus file, the real
 * iptables-restore loads it into a fresh network namespace, and the real `iptables-save -c`
 * must print byte for byte what nfdb prints for its own parse of the same file.
 */
import { describe, expect, it } from 'vitest';
import { kernelToolsMissing, Netns } from '../../source/io/netns.js';
import { parseRules, toIptablesSave } from '../../source/rules/index.js';
import { toListing } from '../../source/rules/listing.js';
import { zeroCounters } from '../../source/rules/normalize.js';
import { corpusCases, type KernelInput } from './corpus-inputs.js';

const missing = kernelToolsMissing();
if (missing) console.warn(`\n*** KERNEL ROUND-TRIP TESTS SKIPPED: ${missing} ***\n`);

const tool = (family: KernelInput['family'], name: string) =>
  family === 'ipv4' ? `ip${name}` : `ip6${name}`;

/** Loads the input; returns whether the counters were loaded too (restore -c takes them only when every chain line has them). */
function kernelLoad(ns: Netns, input: KernelInput): boolean {
  if (input.commands) {
    for (const line of input.commands) {
      const r = ns.exec('sh', ['-c', line]);
      if (r.status !== 0) throw new Error(`${line}: ${r.stderr}`);
    }
    return false;
  }
  const withCounters = ns.exec(tool(input.family, 'tables-restore'), ['-c'], input.restore);
  if (withCounters.status === 0) return true;
  if (!withCounters.stderr.includes('invalid policy counters'))
    throw new Error(`restore failed: ${withCounters.stderr}`);
  const r = ns.exec(tool(input.family, 'tables-restore'), [], input.restore);
  if (r.status !== 0) throw new Error(`restore failed: ${r.stderr}`);
  return false;
}

function kernelSave(
  ns: Netns,
  input: KernelInput,
): { text: string; counters: boolean; listings: Map<string, string> } {
  const counters = kernelLoad(ns, input);
  const saved = ns.exec(tool(input.family, 'tables-save'), ['-c']);
  const text = saved.stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  const listings = new Map<string, string>();
  for (const table of ['raw', 'mangle', 'nat', 'filter', 'security'] as const) {
    for (const exact of [true, false]) {
      const args = ['-t', table, '-L', '-v', '-n', ...(exact ? ['-x'] : [])];
      const listed = ns.exec(tool(input.family, 'tables'), args);
      if (listed.status === 0) listings.set(`${table}${exact ? ' -x' : ''}`, listed.stdout);
    }
  }
  return { text, counters, listings };
}

const cases = corpusCases();

describe.skipIf(missing !== undefined)(
  `kernel round trip${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    it.each(cases.filter((c) => !c.needs).map((c) => [c.file, c] as const))(
      '%s: iptables-save -c and iptables -L -v -n [-x] equal nfdb',
      (_file, c) => {
        const parsed = parseRules(c.text, { file: c.file });
        expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (const input of c.inputs) {
          const kernel = Netns.with((ns) => kernelSave(ns, input), 'nfdb-rt');
          const ruleset = parsed.rulesets.find((r) => r.family === input.family);
          expect(ruleset, `nfdb found no ${input.family} rules`).toBeDefined();
          const loaded = ruleset ?? parsed.rulesets[0];
          if (!loaded) continue;
          const expected = kernel.counters ? loaded : zeroCounters(loaded);
          expect(toIptablesSave(expected, { counters: true })).toBe(kernel.text);
          for (const table of expected.tables) {
            for (const exact of [true, false]) {
              const real = kernel.listings.get(`${table.name}${exact ? ' -x' : ''}`);
              expect(
                toListing(expected, { table: table.name, exact }),
                `iptables -t ${table.name} -L -v -n${exact ? ' -x' : ''}`,
              ).toBe(real);
            }
          }
        }
      },
    );

    // Three corpus files need something a throwaway namespace lacks. They are named here, so
    // a new corpus file that cannot be compared fails this test instead of going unnoticed.
    it('compares every corpus file but the three that need the system', () => {
      expect(cases.filter((c) => c.needs).map((c) => `${c.file}: needs ${c.needs}`)).toEqual([
        'istio/capture-outbound-owner-groups-exclude.rules: needs a system group "ftp" (--gid-owner ftp)',
        'istio/cni-inpod-hostprobe.rules: needs the ipset istio-inpod-probes-v4',
        'istio/cni-inpod-hostprobe_ipv6.rules: needs the ipsets istio-inpod-probes-v4/-v6',
      ]);
    });
  },
);
