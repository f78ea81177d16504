import { describe, expect, it } from 'vitest';
import { normalizeRuleset, zeroCounters } from './normalize.js';
import { lines, ruleset } from './test-helpers.js';

const load = (...l: string[]) => ruleset(lines(...l));

describe('normalizeRuleset', () => {
  it('makes two spellings of one ruleset equal: lines, ids and option spelling dropped', () => {
    const a = load(
      '*nat',
      ':X - [0:0]',
      '-A OUTPUT -p tcp -m tcp --dport 80 -j X',
      '-A X -p tcp -j REDIRECT --to-ports 15001',
      'COMMIT',
    );
    const b = load(
      '# the same, written by hand',
      '*nat',
      ':X - [0:0]',
      // An extra rule first shifts every id; the long option names are spelled otherwise.
      '-A X --protocol tcp --jump REDIRECT --to-ports 15001',
      '-A OUTPUT --protocol tcp --match tcp --destination-port 80 --jump X',
      'COMMIT',
    );
    expect(a.tables[0]?.chains[2]?.rules[0]?.id).not.toBe(b.tables[0]?.chains[2]?.rules[0]?.id);
    expect(normalizeRuleset(a)).toEqual(normalizeRuleset(b));
  });

  it('still tells apart rulesets that differ in meaning', () => {
    const a = load('*filter', '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT', 'COMMIT');
    const b = load('*filter', '-A INPUT -p tcp -m tcp --dport 81 -j ACCEPT', 'COMMIT');
    const c = load('*filter', '-A INPUT -p tcp -m tcp ! --dport 80 -j ACCEPT', 'COMMIT');
    expect(normalizeRuleset(a)).not.toEqual(normalizeRuleset(b));
    expect(normalizeRuleset(a)).not.toEqual(normalizeRuleset(c));
  });

  it('keeps counters (zeroCounters is the way to forget them)', () => {
    const a = load('*filter', ':INPUT ACCEPT [9:900]', '[1:60] -A INPUT -j ACCEPT', 'COMMIT');
    const b = load('*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -j ACCEPT', 'COMMIT');
    expect(normalizeRuleset(a)).not.toEqual(normalizeRuleset(b));
    expect(normalizeRuleset(zeroCounters(a))).toEqual(normalizeRuleset(b));
  });
});

describe('zeroCounters', () => {
  it('zeroes chain and rule counters and leaves the rest, without touching its input', () => {
    const a = load('*filter', ':INPUT DROP [9:900]', '[1:60] -A INPUT -j ACCEPT', 'COMMIT');
    const z = zeroCounters(a);
    const input = z.tables[0]?.chains[0];
    expect(input?.counters).toEqual({ packets: 0, bytes: 0 });
    expect(input?.rules[0]?.counters).toEqual({ packets: 0, bytes: 0 });
    expect(input?.policy).toBe('DROP');
    expect(input?.rules[0]?.id).toBe(a.tables[0]?.chains[0]?.rules[0]?.id);
    expect(a.tables[0]?.chains[0]?.counters).toEqual({ packets: 9, bytes: 900 });
    expect(a.tables[0]?.chains[0]?.rules[0]?.counters).toEqual({ packets: 1, bytes: 60 });
  });
});
