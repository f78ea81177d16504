import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { rulesetOf, saveText } from '../test-helpers.js';
import { type CompiledTable, compileRuleset, RulesetCompiler } from './compile.js';

const FILTER = saveText(
  'filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':A - [0:0]',
  ':B - [0:0]',
  '-A OUTPUT -p tcp -j A',
  '-A OUTPUT -g B',
  '-A OUTPUT -j NOPE',
  '-A OUTPUT -j ACCEPT',
  '-A OUTPUT -j DROP',
  '-A OUTPUT -j RETURN',
  '-A OUTPUT -j QUEUE',
  '-A OUTPUT -d 10.0.0.0/8',
  '-A OUTPUT -j FOOBAR --x 1',
  '-A OUTPUT -j MARK --set-mark 1',
  '-A A -j RETURN',
);

function filterOf(text: string): CompiledTable {
  const table = compileRuleset(rulesetOf(text)).tables.get('filter');
  if (!table) throw new Error('no filter table');
  return table;
}

describe('RulesetCompiler', () => {
  it('compiles a ruleset once: the same object for the same ruleset', () => {
    const compiler = new RulesetCompiler();
    const ruleset = rulesetOf(FILTER);
    const first = compiler.compile(ruleset);
    expect(compiler.compile(ruleset)).toBe(first);
    expect(first.ruleset).toBe(ruleset);
  });

  it('compiles an equal but distinct ruleset again', () => {
    const compiler = new RulesetCompiler();
    const first = compiler.compile(rulesetOf(FILTER));
    const second = compiler.compile(rulesetOf(FILTER));
    expect(second).not.toBe(first);
    expect(second.tables.get('filter')?.chains.size).toBe(5);
  });
});

describe('a compiled iptables-nft table', () => {
  it('enters only the built-in chains a command made: the others are not in the kernel', () => {
    const nft = filterOf(saveText('filter', ':FORWARD DROP [0:0]', '-A OUTPUT -j ACCEPT'));
    expect(Object.keys(nft.entry).sort()).toEqual(['FORWARD', 'OUTPUT']);
    const legacy = compileRuleset(
      parseRules(saveText('filter', '-A OUTPUT -j ACCEPT'), { file: 'l', backend: 'legacy' })
        .rulesets[0] as Ruleset,
    ).tables.get('filter');
    expect(Object.keys(legacy?.entry ?? {}).sort()).toEqual(['FORWARD', 'INPUT', 'OUTPUT']);
  });
});

describe('a compiled table', () => {
  const table = filterOf(FILTER);
  const output = table.chains.get('OUTPUT');
  const rule = (i: number) => output?.rules[i];

  it('enters each hook at its built-in chain, and no other', () => {
    expect(Object.keys(table.entry).sort()).toEqual(['FORWARD', 'INPUT', 'OUTPUT']);
    expect(table.entry.OUTPUT).toBe(output);
    expect(table.entry.FORWARD?.chain.policy).toBe('DROP');
    expect(table.ref).toEqual({ family: 'ipv4', name: 'filter' });
  });

  it('resolves -j and -g to the compiled chain itself', () => {
    expect(rule(0)?.jump).toBe(table.chains.get('A'));
    expect(rule(1)?.jump).toBe(table.chains.get('B'));
  });

  it('leaves a jump to a missing chain unresolved, and other rules without a jump', () => {
    expect(rule(2)?.jump).toBeUndefined();
    expect(rule(2)?.verdict).toEqual({ kind: 'jump', chain: 'NOPE' });
    expect(rule(3)?.jump).toBeUndefined();
  });

  it('finds a chain by its name, and the last of a name a hand-built table declares twice', () => {
    expect(table.chains.get('B')?.chain.name).toBe('B');
    expect(table.chains.get('NOPE')).toBeUndefined();
    const ruleset = rulesetOf(FILTER);
    const filter = ruleset.tables.find((t) => t.name === 'filter');
    const a = filter?.chains.find((c) => c.name === 'A');
    if (!filter || !a) throw new Error('no chain A');
    const second = { ...a, rules: [] };
    const twice = { ...ruleset, tables: [{ ...filter, chains: [...filter.chains, second] }] };
    const chains = compileRuleset(twice).tables.get('filter')?.chains;
    expect(chains?.get('A')?.chain).toBe(second);
    expect(chains?.get('B')?.chain.name).toBe('B');
  });

  it('precomputes what each rule says when it matches', () => {
    expect(output?.rules.map((r) => r.verdict)).toEqual([
      { kind: 'jump', chain: 'A' },
      { kind: 'goto', chain: 'B' },
      { kind: 'jump', chain: 'NOPE' },
      { kind: 'accept' },
      { kind: 'drop' },
      { kind: 'return' },
      { kind: 'queue' },
      // No -j: the rule counts and the scan goes on.
      { kind: 'continue' },
      // An unknown target is kept as a no-op, not simulated.
      { kind: 'target', name: 'FOOBAR', simulated: false },
      // A simulated target's verdict depends on its effect: made when it runs.
      undefined,
    ]);
  });

  it('keeps each rule with its index, and looks a simulated target up once', () => {
    expect(output?.rules.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rule(9)?.targetModule?.name).toBe('MARK');
    expect(rule(8)?.targetModule).toBeUndefined();
  });

  it('parses addresses and protocols for the scan', () => {
    expect(rule(0)?.protocol).toMatchObject({ number: 6, negated: false, name: 'tcp' });
    expect(rule(7)?.destination?.negated).toBe(false);
    expect(rule(7)?.source).toBeUndefined();
  });
});

describe('interfaces in a compiled rule', () => {
  it('splits the + wildcard off the name and keeps the negation', () => {
    const table = filterOf(saveText('filter', ':INPUT ACCEPT [0:0]', '-A INPUT ! -i eth+ -o lo'));
    const [r] = table.chains.get('INPUT')?.rules ?? [];
    expect(r?.inInterface).toEqual({
      name: 'eth',
      prefix: true,
      negated: true,
      missHead: undefined,
    });
    expect(r?.outInterface).toEqual({
      name: 'lo',
      prefix: false,
      negated: false,
      missHead: undefined,
    });
  });
});
