import { describe, expect, it } from 'vitest';
import { listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { udp } from './udp.js';

const dns = packet({ protocol: 'udp', dport: 53, sport: 40000 });

describe('udp match', () => {
  it('matches ports, ranges and !', () => {
    expect(matchOf(udp, '--dport 53', dns)).toEqual({ kind: 'match' });
    expect(matchOf(udp, '--dport 5353', dns)).toEqual({ kind: 'no-match', why: 'dport 53' });
    expect(matchOf(udp, '! --sport 1:1023', dns).kind).toBe('match');
    expect(matchOf(udp, '--sport 40000:40010 --dport 50:60', dns).kind).toBe('match');
  });

  it('does not match TCP packets or later fragments', () => {
    expect(matchOf(udp, '--dport 80', packet()).kind).toBe('no-match');
    expect(matchOf(udp, '--dport 53', { ...dns, fragment: true }).kind).toBe('no-match');
  });

  it('saves and lists as iptables does', () => {
    expect(saved(udp, '--dport 53')).toBe('--dport 53');
    expect(saved(udp, '! --source-port 1:1023')).toBe('! --sport 1:1023');
    expect(listed(udp, '--dport 53')).toBe('udp dpt:53');
    expect(listed(udp, '! --sport 1:1023')).toBe('udp spts:!1:1023');
  });

  it('refuses a bad port', () => {
    expect(refusal(udp, '--dport dns')).toMatch(/bad value/);
  });
});
