import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { multiport } from './multiport.js';

describe('multiport match', () => {
  it('matches any listed port or range', () => {
    expect(matchOf(multiport, '--dports 80,443,8000:8080')).toEqual({ kind: 'match' });
    expect(matchOf(multiport, '--dports 443,8000:8080', packet({ dport: 8001 })).kind).toBe(
      'match',
    );
    expect(matchOf(multiport, '--dports 443,8443')).toEqual({ kind: 'no-match', why: 'dport 80' });
  });

  it('inverts the whole list with !', () => {
    // Istio: -m multiport ! --dports 15090,15021,15020 (ports the sidecar must not capture)
    expect(matchOf(multiport, '! --dports 15090,15021,15020').kind).toBe('match');
    expect(matchOf(multiport, '! --dports 15090,80').kind).toBe('no-match');
    expect(matchOf(multiport, '! --sports 22,15001').kind).toBe('match');
  });

  it('--ports matches either the source or the destination port', () => {
    expect(matchOf(multiport, '--ports 43210').kind).toBe('match');
    expect(matchOf(multiport, '--ports 80').kind).toBe('match');
    expect(matchOf(multiport, '--ports 22')).toEqual({
      kind: 'no-match',
      why: 'neither port listed',
    });
  });

  it('works for UDP, not for ICMP or later fragments', () => {
    const dns = packet({ protocol: 'udp', dport: 53 });
    expect(matchOf(multiport, '--dports 53,5353', dns).kind).toBe('match');
    expect(matchOf(multiport, '--dports 53', packet({ protocol: 'icmp' })).kind).toBe('no-match');
    expect(matchOf(multiport, '--dports 80', packet({ fragment: true })).kind).toBe('no-match');
  });

  it('allows 15 port slots, a range taking two (libxt_multiport)', () => {
    expect(refusal(multiport, '--dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15')).toBeUndefined();
    expect(refusal(multiport, '--dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16')).toMatch(
      /at most 15/,
    );
    expect(refusal(multiport, '--dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15')).toBeUndefined();
    expect(refusal(multiport, '--dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16')).toMatch(
      /at most 15/,
    );
  });

  it('takes exactly one of --sports, --dports, --ports', () => {
    expect(refusal(multiport, '--sports 1 --dports 2')).toMatch(/cannot be used together/);
    expect(refusal(multiport, '')).toMatch(/needed/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(multiport, '--destination-ports 80,443,8000:8080')).toBe(
      '--dports 80,443,8000:8080',
    );
    expect(saved(multiport, '! --sports 22,15001')).toBe('! --sports 22,15001');
    expect(listed(multiport, '--dports 80,443,8000:8080')).toBe(
      'multiport dports 80,443,8000:8080',
    );
    expect(listed(multiport, '! --sports 22,15001')).toBe('multiport sports  !22,15001');
    expect(listed(multiport, '--ports 53,5353')).toBe('multiport ports 53,5353');
  });
});
