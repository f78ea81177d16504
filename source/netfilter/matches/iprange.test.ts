import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { iprange } from './iprange.js';

describe('iprange match', () => {
  it('tests the source and destination against inclusive ranges', () => {
    expect(matchOf(iprange, '--src-range 10.244.1.1-10.244.1.5')).toEqual({ kind: 'match' });
    expect(matchOf(iprange, '--src-range 10.244.1.6-10.244.1.9')).toEqual({
      kind: 'no-match',
      why: '10.244.1.5 outside 10.244.1.6-10.244.1.9',
    });
    expect(matchOf(iprange, '! --dst-range 192.168.1.1-192.168.1.9').kind).toBe('match');
    expect(
      matchOf(iprange, '--src-range 10.0.0.0-10.255.255.255 --dst-range 10.96.0.10-10.96.0.10')
        .kind,
    ).toBe('match');
  });

  it('a reversed range never matches (the kernel only warns)', () => {
    expect(matchOf(iprange, '--src-range 10.244.1.9-10.244.1.1').kind).toBe('no-match');
  });

  it('works for IPv6', () => {
    const p = packet({ family: 'ipv6', src: 'fd00::5', dst: 'fd00::a' });
    expect(matchOf(iprange, '--src-range fd00::1-fd00::ff', p).kind).toBe('match');
    expect(refusal(iprange, '--src-range 10.0.0.1-10.0.0.2', 'ipv6')).toMatch(/bad value/);
  });

  it('saves and lists as iptables does', () => {
    expect(
      saved(iprange, '--src-range 10.0.0.1-10.0.0.50 ! --dst-range 192.168.1.1-192.168.1.9'),
    ).toBe('--src-range 10.0.0.1-10.0.0.50 ! --dst-range 192.168.1.1-192.168.1.9');
    expect(
      listed(iprange, '--src-range 10.0.0.1-10.0.0.50 ! --dst-range 192.168.1.1-192.168.1.9'),
    ).toBe('source IP range 10.0.0.1-10.0.0.50 destination IP range ! 192.168.1.1-192.168.1.9');
  });
});
