import { describe, expect, it } from 'vitest';
import { parseRules } from './index.js';

describe('parseRules reports every problem of a load at once', () => {
  it('lists the load-time checks beside the syntax errors, each at its line and column', () => {
    const text = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      '-A PREROUTING -p tcp --dport 99999 -j ACCEPT',
      '-A OUTPUT -s 300.1.1.1 -j ACCEPT',
      '-A OUTPUT -j NOPE',
      'COMMIT',
      '',
    ].join('\n');
    const errors = parseRules(text, { file: 'a.rules' })
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.pos.line}:${d.pos.column} ${d.message}`);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^4:\d+ .*99999/);
    expect(errors[1]).toMatch(/^5:\d+ .*300\.1\.1\.1/);
    expect(errors[2]).toMatch(/^6:\d+ .*NOPE/);
  });
});

describe('targets in a loaded ruleset', () => {
  const text = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':SVC - [0:0]',
    ':SEP - [0:0]',
    '-A PREROUTING -p tcp -j SVC',
    // Not of the fast reader's shapes (an option of two values): the general reader's path.
    '-A OUTPUT -p tcp -m tcp --tcp-flags SYN,RST SYN -j SVC',
    '-A SVC -g SEP',
    '-A SEP -p tcp -j DNAT --to-destination 10.0.0.1:8080',
    '-A INPUT -j DNAT --to-destination 10.0.0.2',
    'COMMIT',
    '',
  ].join('\n');
  const result = parseRules(text, { file: 'n.rules' });
  const rules = (chain: string) =>
    result.rulesets[0]?.tables[0]?.chains.find((c) => c.name === chain)?.rules ?? [];

  it('carry no position: each rule keeps where its target is, on its own line', () => {
    const column = (line: number, word: string) =>
      (text.split('\n')[line - 1] ?? '').indexOf(word) + 1;
    const [fromPrerouting] = rules('PREROUTING');
    const [fromOutput] = rules('OUTPUT');
    expect(fromPrerouting?.target).toMatchObject({ kind: 'jump', name: 'SVC', pos: undefined });
    expect(fromOutput?.target?.pos).toBeUndefined();
    expect(fromPrerouting?.targetColumn).toBe(column(6, 'SVC'));
    expect(fromOutput?.targetColumn).toBe(column(7, 'SVC'));
    expect(rules('SVC')[0]?.target).toMatchObject({ kind: 'goto', name: 'SEP' });
    expect(rules('SEP')[0]?.target?.pos).toBeUndefined();
    expect(rules('SEP')[0]?.targetColumn).toBe(column(9, 'DNAT'));
  });

  it('are pointed at by the load-time checks where the rule says them', () => {
    const at = result.diagnostics.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.column}`);
    // DNAT in INPUT: the placement check names the target where line 10 says it.
    expect(at).toEqual([`n.rules:10:${'-A INPUT -j '.length + 1}`]);
  });
});
