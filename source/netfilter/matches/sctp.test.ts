import { describe, expect, it } from 'vitest';
import { kindOf, listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { sctp } from './sctp.js';

describe('sctp match', () => {
  it('matches SCTP ports, ranges and their negations', () => {
    const p = packet({ protocol: 'sctp', sport: 40000, dport: 38412 });
    expect(kindOf(matchOf(sctp, '--dport 38412', p))).toBe('match');
    expect(kindOf(matchOf(sctp, '--sport 1024:65535 ! --dport 80', p))).toBe('match');
    expect(kindOf(matchOf(sctp, '--dport 80', p))).toBe('no-match');
    expect(kindOf(matchOf(sctp, '--dport 38412', packet({ protocol: 'udp', dport: 38412 })))).toBe(
      'no-match',
    );
  });

  it('assumes a chunk-types condition met: nfdb packets carry no chunks', () => {
    const p = packet({ protocol: 'sctp', dport: 38412 });
    expect(kindOf(matchOf(sctp, '--dport 38412 --chunk-types any INIT', p))).toBe('assumed');
  });

  it('reads ports strictly, as libxt_sctp does (no wrap past 65535, no reversed range)', () => {
    expect(refusal(sctp, '--dport 65536')).toMatch(/bad value/);
    expect(refusal(sctp, '--sport 5:1')).toMatch(/bad value/);
    expect(refusal(sctp, '--chunk-types some INIT')).toMatch(/bad value/);
    expect(refusal(sctp, '--chunk-types any INIT:X')).toMatch(/bad value/);
    expect(refusal(sctp, '--chunk-types only DATA:Be,SACK')).toBeUndefined();
  });

  it('saves and lists as iptables does', () => {
    expect(saved(sctp, '--sport 1024:65535 --dport 38412')).toBe(
      '--sport 1024:65535 --dport 38412',
    );
    expect(listed(sctp, '--dport 38412')).toBe('sctp dpt:38412');
  });
});
