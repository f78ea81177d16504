import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { markMatch } from './mark.js';

describe('mark match', () => {
  it('compares skb->mark under the mask', () => {
    expect(matchOf(markMatch, '--mark 0x539', packet({ mark: 0x539 }))).toEqual({ kind: 'match' });
    expect(matchOf(markMatch, '--mark 1337', packet({ mark: 0x539 })).kind).toBe('match');
    expect(matchOf(markMatch, '--mark 0x539', packet({ mark: 0x1539 })).kind).toBe('no-match');
    // kube-proxy: -m mark ! --mark 0x4000/0x4000 -j RETURN
    expect(matchOf(markMatch, '--mark 0x4000/0x4000', packet({ mark: 0xc000 })).kind).toBe('match');
    expect(matchOf(markMatch, '! --mark 0x4000/0x4000', packet({ mark: 0x8000 })).kind).toBe(
      'match',
    );
    expect(matchOf(markMatch, '! --mark 0x4000/0x4000', packet({ mark: 0x4001 }))).toEqual({
      kind: 'no-match',
      why: 'packet mark 0x4001',
    });
  });

  it('does not mask the value: 0x4001/0x4000 never matches (xt_mark)', () => {
    expect(matchOf(markMatch, '--mark 0x4001/0x4000', packet({ mark: 0x4001 })).kind).toBe(
      'no-match',
    );
  });

  it('saves and lists as iptables does', () => {
    expect(saved(markMatch, '--mark 1337')).toBe('--mark 0x539');
    expect(saved(markMatch, '! --mark 0x4000/0x4000')).toBe('! --mark 0x4000/0x4000');
    expect(saved(markMatch, '--mark 0x1/0xffffffff')).toBe('--mark 0x1');
    expect(listed(markMatch, '--mark 0x539')).toBe('mark match 0x539');
    expect(listed(markMatch, '! --mark 0x4000/0x4000')).toBe('mark match ! 0x4000/0x4000');
  });

  it('refuses a value over 32 bits', () => {
    expect(refusal(markMatch, '--mark 0x100000000')).toMatch(/bad value/);
  });
});
