import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '../../../model/index.js';
import { parseRules } from '../../../rules/index.js';
import { compileRuleset } from '../compile.js';
import { hookPrograms, stagesOf } from '../programs.js';
import { compileNft } from './compile.js';

const nft = parseRules(
  [
    'add table inet first',
    'add chain inet first out { type filter hook output priority 0 ; }',
    'add chain inet first raw { type filter hook output priority raw ; }',
    'add table ip second',
    'add chain ip second out { type filter hook output priority filter ; }',
    'add chain ip second late { type filter hook output priority 10 ; }',
    'add table ip6 v6only',
    'add chain ip6 v6only out { type filter hook output priority -10 ; }',
  ].join('\n'),
  { file: 'order.nft' },
).nft as NftRuleset;

const iptables = parseRules('*filter\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n', { file: 'f.rules' })
  .rulesets[0];

function order(iptablesLast: boolean, family: 'ipv4' | 'ipv6' = 'ipv4') {
  const programs = hookPrograms(
    family === 'ipv4' && iptables ? compileRuleset(iptables) : undefined,
    compileNft(nft),
    family,
    iptablesLast,
  );
  return stagesOf('OUTPUT', programs.OUTPUT).map((s) =>
    s.kind === 'table' ? `${s.table.family} ${s.table.name}` : s.kind,
  );
}

describe('hook programs of a mixed host', () => {
  it('orders base chains by priority, the later registered first at equal priority', () => {
    expect(order(false)).toEqual([
      'inet first',
      'conntrack',
      'ipv4 second',
      'inet first',
      'ipv4 filter',
      'ipv4 second',
    ]);
  });

  it('puts iptables first among equals when it was loaded last', () => {
    expect(order(true).slice(2, 5)).toEqual(['ipv4 filter', 'ipv4 second', 'inet first']);
  });

  it('gives each family only the tables of its family and inet', () => {
    expect(order(false, 'ipv6')).toEqual(['inet first', 'conntrack', 'ipv6 v6only', 'inet first']);
  });
});
