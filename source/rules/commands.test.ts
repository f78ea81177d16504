import { describe, expect, it } from 'vitest';
import type { Diagnostic, Ruleset, TableName } from '../model/index.js';
import { RulesetBuilder } from './builder.js';
import { isTableName, runCommand } from './commands.js';
import { problemText } from './test-helpers.js';
import { tokenize } from './tokenize.js';

/** Runs each line as a command (no program word) in one builder, as a file of them would. */
function run(lines: string[], table?: TableName): { ruleset: Ruleset; problems: string[] } {
  const diagnostics: Diagnostic[] = [];
  const builder = new RulesetBuilder('ipv4', diagnostics);
  lines.forEach((line, i) => {
    const t = tokenize(line);
    if (!t.ok) throw new Error(t.message);
    runCommand(t.tokens, 0, {
      file: 'c',
      line: i + 1,
      family: 'ipv4',
      diagnostics,
      builder,
      table,
      strictNew: true,
    });
  });
  return { ruleset: builder.build(), problems: diagnostics.map(problemText) };
}

const targets = (r: Ruleset, table: TableName, chain: string) =>
  r.tables
    .find((t) => t.name === table)
    ?.chains.find((c) => c.name === chain)
    ?.rules.map((x) => x.target?.name);

describe('runCommand', () => {
  it('reads -A, -I with and without a number, -N and -P, long names too', () => {
    const { ruleset, problems } = run([
      '-t nat --new-chain A',
      '-t nat --append A -j RETURN',
      '--table nat -I A -j ACCEPT',
      '-t nat --insert A 2 -j DROP',
      '--policy FORWARD DROP',
    ]);
    expect(problems).toEqual([]);
    expect(targets(ruleset, 'nat', 'A')).toEqual(['ACCEPT', 'DROP', 'RETURN']);
    expect(ruleset.tables.find((t) => t.name === 'filter')?.chains[1]?.policy).toBe('DROP');
  });

  it('skips -w and its seconds, and -t may come after the command', () => {
    const { ruleset, problems } = run([
      '-w 5 -A OUTPUT -t mangle -j ACCEPT',
      '-A OUTPUT -w -j DROP',
    ]);
    expect(problems).toEqual([]);
    expect(targets(ruleset, 'mangle', 'OUTPUT')).toEqual(['ACCEPT']);
    expect(targets(ruleset, 'filter', 'OUTPUT')).toEqual(['DROP']);
  });

  it('uses the block table of a save file when the line names none', () => {
    const { ruleset } = run(['-A OUTPUT -j ACCEPT'], 'raw');
    expect(ruleset.tables.map((t) => t.name)).toEqual(['raw']);
  });

  it('refuses what a ruleset file cannot hold, each at its word', () => {
    const { problems } = run([
      '-t bogus -A X',
      '-t',
      '-L',
      '-D INPUT 1',
      '-A',
      '-P INPUT',
      '-P INPUT REJECT',
    ]);
    expect(problems).toEqual([
      '1:4 unknown table "bogus" (raw, mangle, nat, filter or security; bogus)',
      '2:1 unknown table "" (raw, mangle, nat, filter or security; end of line)',
      '3:1 unknown command "-L" (-A, -I, -N, -P, -X or -F; -L)',
      '4:1 command "-D" is not supported in a ruleset file (-A, -I, -N, -P, -X or -F; -D)',
      '5:1 -A needs a chain name (a chain name; end of line)',
      '6:4 -P needs a policy (ACCEPT or DROP; end of line)',
      '7:10 bad policy "REJECT" (ACCEPT or DROP; REJECT)',
    ]);
  });
});

describe('isTableName', () => {
  it('knows the five xtables tables and nothing else', () => {
    expect(
      ['raw', 'mangle', 'nat', 'filter', 'security', 'broute', 'NAT', ''].map(isTableName),
    ).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe('runCommand -P points at the chain it complains about', () => {
  // A diagnostic's column is where its `found` text is. For `-P CHAIN POLICY`, a problem with
  // the chain (unknown, or user-defined) is reported at the policy word instead.
  it('reports an unknown or user-defined chain at the chain name', () => {
    const { problems } = run(['-P PREROUTING DROP', '-N X', '-P X DROP']);
    expect(problems).toEqual([
      '1:4 chain "PREROUTING" does not exist in table filter (a chain declared before use (-N or :CHAIN); PREROUTING)',
      '3:4 user-defined chain "X" cannot have a policy (a built-in chain; X)',
    ]);
  });
});
