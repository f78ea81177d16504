import { describe, expect, it } from 'vitest';
import type { Table } from '../../model/index.js';
import { lines, ruleset } from '../../rules/test-helpers.js';
import { referencesTo } from './chain-references.js';

const NAT = lines(
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':SVC - [0:0]',
  ':SEP - [0:0]',
  ':UNUSED - [0:0]',
  '-A PREROUTING -j SVC',
  '-A OUTPUT -j SVC',
  '-A SVC -p tcp -j SEP',
  '-A SVC -g SEP',
  '-A SEP -j DNAT --to-destination 10.0.0.1',
  'COMMIT',
);

function natOf(text: string): Table {
  const table = ruleset(text).tables.find((t) => t.name === 'nat');
  if (!table) throw new Error('no nat table');
  return table;
}

describe('referencesTo', () => {
  it('counts the jumps and gotos to a chain, as iptables -L says them', () => {
    const nat = natOf(NAT);
    expect(referencesTo(nat, 'SVC')).toBe(2);
    expect(referencesTo(nat, 'SEP')).toBe(2);
    expect(referencesTo(nat, 'UNUSED')).toBe(0);
    expect(referencesTo(nat, 'NOPE')).toBe(0);
  });

  it('counts in a table a what-if changed, and in a hand-built one that names a chain twice', () => {
    const nat = natOf(NAT);
    const chains = nat.chains.map((c) => (c.name === 'SVC' ? { ...c, rules: [] } : c));
    expect(referencesTo({ ...nat, chains }, 'SEP')).toBe(0);
    const again = nat.chains.find((c) => c.name === 'SVC');
    if (!again) throw new Error('no SVC');
    const twice = { ...nat, chains: [...nat.chains, again] };
    expect(referencesTo(twice, 'SEP')).toBe(4);
    expect(referencesTo(twice, 'SVC')).toBe(2);
  });
});
