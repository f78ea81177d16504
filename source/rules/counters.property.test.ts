/**
 * Counters are 64-bit: any count in [0, 2^64) read from `[p:b]`, `-c p b`, `-c p,b`, a `-L -v -x`
 * listing or nft's `counter packets p bytes b` prints back as itself (issue 17 found
 * 18446744073709551615 printed as 18446744073709552000), and 2^64 and above are refused at the
 * count's own line and column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Counters, countText, type Diagnostic, type Ruleset } from '../model/index.js';
import { parseRules } from './index.js';
import { toListing } from './listing.js';
import { nftListing } from './nft/script-text.js';
import { toIptablesSave } from './save.js';

const LIMIT = 1n << 64n;
/** Small, near 2^53 and near 2^64: where a number would round. */
const count = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: (1n << 53n) - 10n, max: (1n << 53n) + 10n }),
  fc.bigInt({ min: LIMIT - 1000n, max: LIMIT - 1n }),
  fc.bigInt({ min: 0n, max: LIMIT - 1n }),
);
const tooBig = fc.oneof(
  fc.bigInt({ min: LIMIT, max: LIMIT + 1000n }),
  fc.bigInt({ min: LIMIT, max: LIMIT ** 2n }),
);

function save(rule: string, policy = '[0:0]'): string {
  return `*filter\n:INPUT ACCEPT ${policy}\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
}

function loaded(text: string, format?: 'listing' | 'nft'): Ruleset {
  const result = parseRules(text, { file: 'f', family: 'ipv4', ...(format ? { format } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.rulesets[0] as Ruleset;
}

function errors(text: string, format?: 'nft'): Diagnostic[] {
  const result = parseRules(text, { file: 'f', family: 'ipv4', ...(format ? { format } : {}) });
  return result.diagnostics.filter((d) => d.severity === 'error');
}

const ruleCounters = (r: Ruleset): Counters | undefined =>
  r.tables[0]?.chains.find((c) => c.name === 'INPUT')?.rules[0]?.counters;

describe('64-bit counters', () => {
  it('[p:b] on a rule and on a policy print back exactly in iptables-save -c', () => {
    fc.assert(
      fc.property(count, count, (p, b) => {
        const text = save(`[${p}:${b}] -A INPUT -j ACCEPT`, `[${b}:${p}]`);
        const out = toIptablesSave(loaded(text), { counters: true });
        expect(out).toContain(`:INPUT ACCEPT [${b}:${p}]`);
        expect(out).toContain(`[${p}:${b}] -A INPUT -j ACCEPT`);
      }),
    );
  });

  it('-c p b and -c p,b keep the exact counts', () => {
    fc.assert(
      fc.property(count, count, fc.boolean(), (p, b, comma) => {
        const c = comma ? `${p},${b}` : `${p} ${b}`;
        const counters = ruleCounters(loaded(save(`-A INPUT -c ${c} -j ACCEPT`))) as Counters;
        expect([countText(counters, 'packets'), countText(counters, 'bytes')]).toEqual([
          String(p),
          String(b),
        ]);
      }),
    );
  });

  it('a -L -v -x listing reads and lists back exactly', () => {
    fc.assert(
      fc.property(count, count, count, (p, b, policy) => {
        const listing = [
          `Chain INPUT (policy ACCEPT ${policy} packets, ${policy} bytes)`,
          '    pkts      bytes target     prot opt in     out     source               destination',
          `${String(p).padStart(8)} ${String(b).padStart(10)} ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0`,
          '',
        ].join('\n');
        const out = toListing(loaded(listing, 'listing'), { table: 'filter', exact: true });
        expect(out).toContain(`(policy ACCEPT ${policy} packets, ${policy} bytes)`);
        expect(out.split('\n')[2]?.trim().split(/\s+/).slice(0, 2)).toEqual([String(p), String(b)]);
      }),
    );
  });

  it("nft's counter packets p bytes b prints back exactly", () => {
    fc.assert(
      fc.property(count, count, (p, b) => {
        const text = `table ip t {\n\tchain c {\n\t\tcounter packets ${p} bytes ${b} accept\n\t}\n}\n`;
        const result = parseRules(text, { file: 'f', family: 'ipv4', format: 'nft' });
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const listed = nftListing(result.nft as NonNullable<typeof result.nft>, (_t, _c, rule) => {
          const s = rule.statements.find((x) => x.kind === 'counter');
          return s?.kind === 'counter' ? s.counters : undefined;
        });
        expect(listed).toContain(`counter packets ${p} bytes ${b} accept`);
      }),
    );
  });

  it('a count of 2^64 or more is an error at its line and column, in every form', () => {
    fc.assert(
      fc.property(count, tooBig, fc.boolean(), (small, big, packetsBig) => {
        const [p, b] = packetsBig ? [big, small] : [small, big];
        const bad = String(big);
        const forms: [string, number, 'nft' | undefined][] = [
          [save(`[${p}:${b}] -A INPUT -j ACCEPT`), 5, undefined],
          [save('-A INPUT -j ACCEPT', `[${p}:${b}]`), 2, undefined],
          [save(`-A INPUT -c ${p} ${b} -j ACCEPT`), 5, undefined],
          [save(`-A INPUT -c ${p},${b} -j ACCEPT`), 5, undefined],
          [
            `table ip t {\n\tchain c {\n\t\tcounter packets ${p} bytes ${b} accept\n\t}\n}\n`,
            3,
            'nft',
          ],
        ];
        for (const [text, line, format] of forms) {
          const found = errors(text, format);
          expect(found).toHaveLength(1);
          const e = found[0] as Diagnostic;
          expect(e.message).toContain('does not fit in 64 bits');
          expect(e.found).toBe(bad);
          expect(e.pos.line).toBe(line);
          const lineText = text.split('\n')[line - 1] ?? '';
          // The column is where the count starts on its line (first match after the keyword).
          expect(lineText.slice(e.pos.column - 1, e.pos.column - 1 + bad.length)).toBe(bad);
        }
      }),
    );
  });
});
