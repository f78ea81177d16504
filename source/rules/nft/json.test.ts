import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/index.js';
import { parseNftJson } from './json.js';

function read(text: string) {
  const diagnostics: Diagnostic[] = [];
  const ruleset = parseNftJson(text, 'r.json', diagnostics);
  return { ruleset, diagnostics };
}

const table = '{"table": {"family": "inet", "name": "t", "handle": 1}}';
const chain =
  '{"chain": {"family": "inet", "table": "t", "name": "out", "handle": 1, "type": "nat", "hook": "output", "prio": -100, "policy": "accept"}}';
const rule = (expr: string, extra = '') =>
  `{"rule": {"family": "inet", "table": "t", "chain": "out", "handle": 2${extra}, "expr": [${expr}]}}`;
const doc = (...objects: string[]) => `{"nftables": [\n${objects.join(',\n')}\n]}`;

describe('parseNftJson', () => {
  it('reads a base chain at its hook and priority, and a rule printed as nft lists it', () => {
    const { ruleset, diagnostics } = read(
      doc(
        table,
        chain,
        rule(
          '{"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [53, 15008]}}}, {"match": {"op": "==", "left": {"&": [{"meta": {"key": "mark"}}, 4095]}, "right": 1337}}, {"counter": {"packets": 2, "bytes": 120}}, {"redirect": {"port": 15001}}',
          ', "comment": "capture"',
        ),
      ),
    );
    expect(diagnostics).toEqual([]);
    const out = ruleset.tables[0]?.chains[0];
    expect(out?.base).toMatchObject({ type: 'nat', hook: 'OUTPUT', priority: -100 });
    expect(out?.rules[0]?.handle).toBe(2);
    expect(out?.rules[0]?.text).toBe(
      'tcp dport != { 53, 15008 } meta mark & 0x00000fff == 0x00000539 counter packets 2 bytes 120 redirect to :15001 comment "capture"',
    );
  });

  it('names every bad object at once, by JSON path and line:column, and reads the rest', () => {
    const { ruleset, diagnostics } = read(
      doc(
        table,
        chain,
        rule('{"match": {"op": "==", "left": {"osf": {"key": "name"}}, "right": "Linux"}}'),
        rule('{"accept": null}'),
        '{"rule": {"family": "inet", "table": "nope", "chain": "out", "expr": []}}',
        rule('{"frobnicate": {}}'),
      ),
    );
    expect(diagnostics.map((d) => `${d.pos.line}:${d.pos.column} ${d.message}`)).toEqual([
      '4:112 "osf" is not an expression nfdb reads (at $.nftables[2].rule.expr[0].match.left)',
      '6:38 no table inet nope (at $.nftables[4].rule.table)',
      '7:81 "frobnicate" is not a statement nfdb reads (at $.nftables[5].rule.expr[0])',
    ]);
    expect(ruleset.tables[0]?.chains[0]?.rules.map((r) => r.text)).toEqual(['accept']);
  });

  it('keeps 64-bit counters exact, and says where a count does not fit', () => {
    const max = '18446744073709551615';
    const { ruleset, diagnostics } = read(
      doc(
        table,
        chain,
        rule(`{"counter": {"packets": ${max}, "bytes": ${max}}}, {"accept": null}`),
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(ruleset.tables[0]?.chains[0]?.rules[0]?.text).toBe(
      `counter packets ${max} bytes ${max} accept`,
    );
    const over = read(
      doc(table, chain, rule('{"counter": {"packets": 1, "bytes": 18446744073709551616}}')),
    );
    expect(over.diagnostics.map((d) => `${d.pos.line}:${d.pos.column} ${d.message}`)).toEqual([
      '4:117 bytes counter does not fit in 64 bits (at $.nftables[2].rule.expr[0].counter.bytes)',
    ]);
  });

  it('says where the JSON itself breaks', () => {
    const { diagnostics } = read('{"nftables": [\n  {"table": {"family": "ip",}}\n]}');
    expect(diagnostics).toMatchObject([
      {
        severity: 'error',
        pos: { line: 2, column: 29 },
        message: expect.stringContaining('not valid JSON'),
      },
    ]);
  });

  it('checks values against their expressions, as for nft text', () => {
    const { diagnostics } = read(
      doc(
        table,
        chain,
        rule(
          '{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "300.1.1.1"}}',
        ),
      ),
    );
    expect(diagnostics).toMatchObject([
      { severity: 'error', found: '300.1.1.1', pos: { line: 4 } },
    ]);
  });

  it('keeps statements nfdb does not simulate, named so, and refuses JSON commands', () => {
    const { ruleset, diagnostics } = read(
      doc(
        table,
        chain,
        rule('{"limit": {"rate": 10, "per": "second"}}, {"accept": null}'),
        '{"add": {"table": {"family": "ip", "name": "x"}}}',
      ),
    );
    expect(ruleset.tables[0]?.chains[0]?.rules[0]?.statements[0]).toMatchObject({
      kind: 'unsupported',
      why: 'a rate limit depends on time',
    });
    expect(diagnostics.map((d) => d.message)).toEqual([
      '"add" is a JSON command: nfdb reads what nft -j lists (at $.nftables[3])',
    ]);
  });
});
