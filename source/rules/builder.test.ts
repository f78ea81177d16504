import { describe, expect, it } from 'vitest';
import type { Diagnostic, Ruleset, SourcePos, TargetUse } from '../model/index.js';
import { RulesetBuilder } from './builder.js';
import type { RuleDraft } from './rule-spec.js';
import { problemText } from './test-helpers.js';

const at = (line: number, column = 1): SourcePos => ({ file: 'b', line, column });

/** A rule that only says which verdict it gives: enough to tell rules apart by their target. */
const draft = (verdict: string): RuleDraft => ({
  matches: [],
  target: { kind: 'verdict', name: verdict, options: [], data: undefined, simulated: true },
});

function fresh() {
  const diagnostics: Diagnostic[] = [];
  const b = new RulesetBuilder('ipv4', diagnostics);
  return { b, problems: () => diagnostics.map(problemText) };
}

/** Each chain as `NAME POLICY [ids]`, in the built table's order. */
const layout = (r: Ruleset) =>
  r.tables.map(
    (t) =>
      `${t.name}: ${t.chains.map((c) => `${c.name} ${c.policy ?? '-'} [${c.rules.map((x) => `${x.id}=${(x.target as TargetUse).name}`).join(' ')}]`).join(', ')}`,
  );

describe('RulesetBuilder', () => {
  it('opens a table with its built-in chains, policy ACCEPT, as the kernel registers them', () => {
    const { b, problems } = fresh();
    b.table('raw', at(1));
    b.table('mangle', at(2));
    expect(layout(b.build())).toEqual([
      'mangle: PREROUTING ACCEPT [], INPUT ACCEPT [], FORWARD ACCEPT [], OUTPUT ACCEPT [], POSTROUTING ACCEPT []',
      'raw: PREROUTING ACCEPT [], OUTPUT ACCEPT []',
    ]);
    expect(problems()).toEqual([]);
  });

  it('sorts user chains by name after the built-in ones', () => {
    const { b } = fresh();
    const t = b.table('filter', at(1));
    for (const name of ['b-chain', 'A', 'a'])
      b.declare(t, name, '-', { packets: 0, bytes: 0 }, at(2), true);
    expect(b.build().tables[0]?.chains.map((c) => c.name)).toEqual([
      'INPUT',
      'FORWARD',
      'OUTPUT',
      'A',
      'a',
      'b-chain',
    ]);
  });

  it('appends, and inserts at a 1-based position; ids follow creation, not position', () => {
    const { b, problems } = fresh();
    const t = b.table('filter', at(1));
    b.addRule(t, 'INPUT', draft('ACCEPT'), at(2));
    b.addRule(t, 'INPUT', draft('DROP'), at(3), 1);
    b.addRule(t, 'INPUT', draft('RETURN'), at(4), 3);
    expect(layout(b.build())[0]).toBe(
      'filter: INPUT ACCEPT [r2=DROP r1=ACCEPT r3=RETURN], FORWARD ACCEPT [], OUTPUT ACCEPT []',
    );
    expect(problems()).toEqual([]);
  });

  it('refuses an insert beyond the end of the chain + 1', () => {
    const { b, problems } = fresh();
    const t = b.table('filter', at(1));
    b.addRule(t, 'INPUT', draft('ACCEPT'), at(2, 5), 3);
    b.addRule(t, 'INPUT', draft('ACCEPT'), at(3, 5), 0);
    expect(problems()).toEqual([
      '2:5 rule number 3 is out of range for chain INPUT (1-1; 3)',
      '3:5 rule number 0 is out of range for chain INPUT (1-1; 0)',
    ]);
  });

  it('sets a built-in policy with its counters, and refuses other policies', () => {
    const { b, problems } = fresh();
    const t = b.table('filter', at(1));
    b.setPolicy(t, 'FORWARD', 'DROP', at(2), { packets: 4, bytes: 240 });
    b.setPolicy(t, 'INPUT', 'REJECT', at(3));
    expect(b.build().tables[0]?.chains[1]).toMatchObject({
      policy: 'DROP',
      counters: { packets: 4, bytes: 240 },
    });
    expect(problems()).toEqual(['3:1 bad policy "REJECT" (ACCEPT or DROP; REJECT)']);
  });

  it('lets -N of an existing chain pass when not strict (istio goldens), else refuses it', () => {
    const { b, problems } = fresh();
    const t = b.table('nat', at(1));
    const zero = { packets: 0, bytes: 0 };
    b.declare(t, 'X', '-', zero, at(2), false);
    b.declare(t, 'X', '-', zero, at(3), false);
    b.declare(t, 'X', '-', zero, at(4), true);
    expect(problems()).toEqual(['4:1 chain "X" already exists (a new chain name; X)']);
  });

  it('refuses chain names iptables refuses: over 28 characters, or starting with "-"', () => {
    // XT_EXTENSION_MAXNAMELEN is 29 with the NUL (x_tables.h): 28 characters at most.
    const { b, problems } = fresh();
    const t = b.table('filter', at(1));
    const zero = { packets: 0, bytes: 0 };
    b.declare(t, 'x'.repeat(28), '-', zero, at(2), true);
    b.declare(t, 'x'.repeat(29), '-', zero, at(3), true);
    b.declare(t, '-bad', '-', zero, at(4), true);
    expect(problems()).toEqual([
      `3:1 invalid chain name "${'x'.repeat(29)}" (at most 28 characters, not starting with "-"; ${'x'.repeat(29)})`,
      '4:1 invalid chain name "-bad" (at most 28 characters, not starting with "-"; -bad)',
    ]);
    expect(b.build().tables[0]?.chains.map((c) => c.name.length)).toEqual([5, 7, 6, 28]);
  });

  it('flushes one chain or all; deletes user chains but never a built-in one', () => {
    const { b, problems } = fresh();
    const t = b.table('filter', at(1));
    const zero = { packets: 0, bytes: 0 };
    b.declare(t, 'U', '-', zero, at(2), true);
    b.declare(t, 'V', '-', zero, at(2), true);
    b.addRule(t, 'U', draft('ACCEPT'), at(3));
    b.addRule(t, 'INPUT', draft('DROP'), at(4));
    b.flush(t, 'U', at(5));
    expect(layout(b.build())[0]).toBe(
      'filter: INPUT ACCEPT [r2=DROP], FORWARD ACCEPT [], OUTPUT ACCEPT [], U - [], V - []',
    );
    b.flush(t, undefined, at(6));
    b.deleteChain(t, 'U', at(7));
    b.deleteChain(t, 'OUTPUT', at(8));
    expect(layout(b.build())[0]).toBe(
      'filter: INPUT ACCEPT [], FORWARD ACCEPT [], OUTPUT ACCEPT [], V - []',
    );
    b.deleteChain(t, undefined, at(9));
    b.addRule(t, 'V', draft('ACCEPT'), at(10));
    expect(layout(b.build())[0]).toBe(
      'filter: INPUT ACCEPT [], FORWARD ACCEPT [], OUTPUT ACCEPT []',
    );
    expect(problems()).toEqual([
      '8:1 cannot delete built-in chain OUTPUT (a user-defined chain; OUTPUT)',
      '10:1 chain "V" does not exist in table filter (a chain declared before use (-N or :CHAIN); V)',
    ]);
  });

  it('opening a table again keeps its chains; opening it with flush starts it anew', () => {
    const { b } = fresh();
    b.addRule(b.table('filter', at(1)), 'INPUT', draft('DROP'), at(2));
    b.table('filter', at(3));
    expect(b.build().tables[0]?.chains[0]?.rules).toHaveLength(1);
    b.table('filter', at(4), true);
    expect(b.build().tables[0]?.chains[0]?.rules).toHaveLength(0);
  });

  it('has no tables until one is opened', () => {
    const { b } = fresh();
    expect(b.hasTables()).toBe(false);
    expect(b.build()).toEqual({ family: 'ipv4', tables: [], backend: 'nft' });
  });

  describe('backend', () => {
    /** Each built-in chain as `NAME` (exists, counts), `NAME-uncounted` or `NAME-absent`. */
    const builtins = (r: Ruleset) =>
      r.tables.map((t) =>
        t.chains
          .filter((c) => c.builtin)
          .map((c) => `${c.name}${c.absent ? '-absent' : c.uncounted ? '-uncounted' : ''}`)
          .join(' '),
      );

    it('legacy: every built-in chain exists and counts its policy', () => {
      const b = new RulesetBuilder('ipv4', [], 'legacy');
      b.addRule(b.table('nat', at(1)), 'OUTPUT', draft('ACCEPT'), at(1));
      const r = b.build();
      expect(r.backend).toBe('legacy');
      expect(builtins(r)).toEqual(['PREROUTING INPUT OUTPUT POSTROUTING']);
    });

    it('nft: a chain a rule names exists without a policy counter; the others do not exist', () => {
      const { b } = fresh();
      b.addRule(b.table('nat', at(1)), 'OUTPUT', draft('ACCEPT'), at(1));
      expect(builtins(b.build())).toEqual([
        'PREROUTING-absent INPUT-absent OUTPUT-uncounted POSTROUTING-absent',
      ]);
    });

    it('nft: -P or a declaration makes the chain with its counter, before or after its rules', () => {
      const { b } = fresh();
      const nat = b.table('nat', at(1));
      b.addRule(nat, 'OUTPUT', draft('ACCEPT'), at(1));
      b.setPolicy(nat, 'OUTPUT', 'ACCEPT', at(2));
      b.declare(nat, 'PREROUTING', 'ACCEPT', { packets: 0, bytes: 0 }, at(3), true);
      b.flush(nat, 'INPUT', at(4));
      expect(builtins(b.build())).toEqual(['PREROUTING INPUT-uncounted OUTPUT POSTROUTING-absent']);
    });

    it('nft: -N, -F of a table and a table block name no built-in chain', () => {
      const { b } = fresh();
      const nat = b.table('nat', at(1));
      b.declare(nat, 'MINE', '-', { packets: 0, bytes: 0 }, at(2), true);
      b.flush(nat, undefined, at(3));
      expect(builtins(b.build())).toEqual([
        'PREROUTING-absent INPUT-absent OUTPUT-absent POSTROUTING-absent',
      ]);
    });
  });
});
