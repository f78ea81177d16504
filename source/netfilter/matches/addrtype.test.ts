import { describe, expect, it } from 'vitest';
import { context, listed, matchOf, packet, refusal, saved } from '../test-helpers.js';
import { addrtype } from './addrtype.js';

// 10.244.1.5 and 127.0.0.1 are this host's (LOCAL); 10.96.0.10 is not.
const ctx = context();

describe('addrtype match', () => {
  it('tests the type of the source and destination on this host', () => {
    expect(matchOf(addrtype, '--src-type LOCAL', packet(), ctx)).toEqual({ kind: 'match' });
    expect(matchOf(addrtype, '--dst-type LOCAL', packet(), ctx)).toEqual({
      kind: 'no-match',
      why: '10.96.0.10 is UNICAST',
    });
    expect(matchOf(addrtype, '! --dst-type LOCAL', packet(), ctx).kind).toBe('match');
    expect(matchOf(addrtype, '--dst-type LOCAL,UNICAST', packet(), ctx).kind).toBe('match');
    // kube-proxy: -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
    const toNode = packet({ dst: '10.244.1.5', dport: 30080 });
    expect(matchOf(addrtype, '--dst-type LOCAL', toNode, ctx).kind).toBe('match');
  });

  it('needs both tests to pass', () => {
    expect(matchOf(addrtype, '--src-type LOCAL --dst-type LOCAL', packet(), ctx).kind).toBe(
      'no-match',
    );
  });

  it('passes the interface for --limit-iface-in/out', () => {
    const seen: (string | undefined)[] = [];
    const spy = context({
      addressType: (_a: string, iface?: string) => {
        seen.push(iface);
        return ['UNICAST'];
      },
    } as never);
    matchOf(addrtype, '--dst-type LOCAL --limit-iface-out', packet({ outInterface: 'eth0' }), spy);
    matchOf(addrtype, '--dst-type LOCAL', packet({ outInterface: 'eth0' }), spy);
    expect(seen).toEqual(['eth0', undefined]);
  });

  it('checks where --limit-iface-in/out may be used', () => {
    const at = (hooks: ('PREROUTING' | 'INPUT' | 'OUTPUT' | 'POSTROUTING')[]) => ({
      family: 'ipv4' as const,
      table: 'nat' as const,
      hooks,
      protocolNegated: false,
    });
    const limitIn = { 'limit-iface-in': { value: true, text: '', negated: false } };
    expect(addrtype.check?.(limitIn, at(['PREROUTING']))).toBeUndefined();
    expect(addrtype.check?.(limitIn, at(['OUTPUT']))).toMatch(/OUTPUT/);
    expect(refusal(addrtype, '--src-type LOCAL --limit-iface-in --limit-iface-out')).toMatch(
      /together/,
    );
  });

  it('saves and lists as iptables does (types in kernel bit order)', () => {
    expect(saved(addrtype, '--dst-type LOCAL')).toBe('--dst-type LOCAL');
    expect(saved(addrtype, '! --src-type LOCAL,UNICAST --limit-iface-out')).toBe(
      '! --src-type UNICAST,LOCAL --limit-iface-out',
    );
    expect(listed(addrtype, '--dst-type LOCAL')).toBe('ADDRTYPE match dst-type LOCAL');
    expect(listed(addrtype, '! --src-type UNICAST,LOCAL --limit-iface-out')).toBe(
      'ADDRTYPE match src-type !UNICAST,LOCAL limit-out',
    );
  });
});
