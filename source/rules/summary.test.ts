import { describe, expect, it } from 'vitest';
import { parseRules } from './index.js';
import { summarize } from './summary.js';
import { lines } from './test-helpers.js';

const summaryOf = (...l: string[]) =>
  summarize('s.rules', parseRules(lines(...l), { file: 's.rules' }));

describe('summarize: what `nfdb check` reports about a file', () => {
  it('counts chains, user chains and rules per table, and lists modules and targets', () => {
    const s = summaryOf(
      '*nat',
      ':X - [0:0]',
      '-A OUTPUT -p tcp -m tcp --dport 80 -j X',
      '-A PREROUTING -m comment --comment hi -g X',
      '-A X -p tcp -j REDIRECT --to-ports 15001',
      'COMMIT',
      '*filter',
      '-A INPUT -j ACCEPT',
      'COMMIT',
    );
    expect(s.file).toBe('s.rules');
    expect(s.format).toBe('iptables-save');
    expect(s.loaded).toBe(true);
    expect(s.tables).toEqual([
      {
        family: 'ipv4',
        table: 'filter',
        chains: 3,
        userChains: 0,
        rules: 1,
        backend: 'nft',
        absent: ['FORWARD', 'OUTPUT'],
        uncounted: ['INPUT'],
      },
      {
        family: 'ipv4',
        table: 'nat',
        chains: 5,
        userChains: 1,
        rules: 3,
        backend: 'nft',
        absent: ['INPUT', 'POSTROUTING'],
        uncounted: ['PREROUTING', 'OUTPUT'],
      },
    ]);
    expect(s.matches).toEqual(['comment', 'tcp']);
    expect(s.targets).toEqual(['ACCEPT', 'REDIRECT', 'goto', 'jump']);
    expect(s.limitations).toEqual([]);
  });

  it('lists what nfdb cannot decide by itself, at its position', () => {
    const s = summaryOf(
      '*filter',
      '-A INPUT -m physdev --x 1 -j ACCEPT',
      '-A OUTPUT -m owner --uid-owner root -j ACCEPT',
      'COMMIT',
    );
    expect(s.loaded).toBe(true);
    expect(s.limitations).toEqual([
      {
        pos: { file: 's.rules', line: 2, column: 13 },
        kind: 'not-simulated',
        what: '-m physdev',
        why: 'nfdb has no module for it',
      },
      {
        pos: { file: 's.rules', line: 3, column: 20 },
        kind: 'symbolic',
        what: '--uid-owner root',
        why: 'a name needs the system user database; give the number to simulate it',
      },
    ]);
  });

  it('lists the ipsets -m set reads, which a scenario gives members', () => {
    const s = summaryOf(
      '*filter',
      '-A OUTPUT -m set --match-set myset src -j DROP',
      '-A OUTPUT -m set ! --match-set other dst,dst -j DROP',
      '-A OUTPUT -m set --match-set myset dst -j DROP',
      'COMMIT',
    );
    expect(s.sets).toEqual(['myset', 'other']);
    expect(s.limitations).toEqual([]);
  });

  it('is not loaded when the parse has an error, and keeps every diagnostic', () => {
    const s = summaryOf('*filter', '-A OUTPUT -j NOSUCHTGT', 'COMMIT');
    expect(s.loaded).toBe(false);
    expect(s.diagnostics.map((d) => `${d.severity} ${d.pos.line}:${d.pos.column}`)).toEqual([
      'error 2:14',
    ]);
  });
});
