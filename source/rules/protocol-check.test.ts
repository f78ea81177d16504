import { describe, expect, it } from 'vitest';
import type { MatchUse, Ruleset } from '../model/index.js';
import { formatDiagnostic, parseRules } from './index.js';

const DUMP = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':X - [0:0]',
  '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT',
  '-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT',
  '-A INPUT -p udp -m tcp --dport 80 -j ACCEPT',
  '-A X -m tcp --dport 80 -j ACCEPT',
  '-A INPUT ! -p tcp -m tcp --dport 80 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

function tcpUses(rulesets: readonly Ruleset[]): MatchUse[] {
  const uses: MatchUse[] = [];
  for (const chain of rulesets[0]?.tables[0]?.chains ?? [])
    for (const rule of chain.rules)
      for (const m of rule.matches) if (m.module === 'tcp') uses.push(m);
  return uses;
}

describe('a match whose check reads only the protocol (-m tcp needs -p tcp)', () => {
  const result = parseRules(DUMP, { file: 'dump' });

  it('is one shared use, without a position, where the line says -p tcp', () => {
    const [first, second] = tcpUses(result.rulesets);
    expect(first).toBe(second);
    expect(first?.pos).toBeUndefined();
  });

  it('keeps its column where the rule lacks -p tcp, and the error names it', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'dump:6:20: error: -m tcp: the tcp match needs "-p tcp" (expected a chain where the kernel allows it, found "filter INPUT")',
      'dump:8:22: error: -m tcp: the tcp match needs "-p tcp" (expected a chain where the kernel allows it, found "filter INPUT")',
      'dump:7:9: error: -m tcp: the tcp match needs "-p tcp" (expected a chain where the kernel allows it, found "filter X")',
    ]);
  });
});
