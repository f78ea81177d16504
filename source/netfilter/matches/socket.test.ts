import { describe, expect, it } from 'vitest';
import { context, listed, matchOf, packet, saved, socketView } from '../test-helpers.js';
import { socket } from './socket.js';

const withSocket = (overrides: Parameters<typeof socketView>[0]) =>
  context({ hook: 'PREROUTING', table: 'mangle', findSocket: () => socketView(overrides) });

describe('socket match', () => {
  it('matches when a local socket takes the packet', () => {
    expect(matchOf(socket, '', packet(), withSocket({}))).toEqual({ kind: 'match' });
    expect(matchOf(socket, '', packet(), context({ hook: 'PREROUTING' }))).toEqual({
      kind: 'no-match',
      why: 'no local socket for this packet',
    });
  });

  it('--transparent needs an IP_TRANSPARENT socket (istio tproxy mode)', () => {
    expect(matchOf(socket, '--transparent', packet(), withSocket({})).kind).toBe('no-match');
    expect(matchOf(socket, '--transparent', packet(), withSocket({ transparent: true })).kind).toBe(
      'match',
    );
  });

  it('ignores a socket bound to 0.0.0.0 unless --nowildcard (xt_socket)', () => {
    expect(matchOf(socket, '', packet(), withSocket({ wildcard: true })).kind).toBe('no-match');
    expect(matchOf(socket, '--nowildcard', packet(), withSocket({ wildcard: true })).kind).toBe(
      'match',
    );
  });

  it('cannot decide --restore-skmark', () => {
    expect(matchOf(socket, '--restore-skmark', packet(), withSocket({})).kind).toBe('unknown');
  });

  it('saves and lists as iptables does', () => {
    expect(saved(socket, '')).toBe('');
    expect(saved(socket, '--nowildcard --transparent')).toBe('--transparent --nowildcard');
    expect(listed(socket, '')).toBe('socket');
    expect(listed(socket, '--transparent --nowildcard')).toBe('socket --transparent --nowildcard');
  });

  it('is allowed only in PREROUTING and INPUT', () => {
    const where = { family: 'ipv4' as const, table: 'mangle' as const, protocolNegated: false };
    expect(socket.check?.({}, { ...where, hooks: ['PREROUTING'] })).toBeUndefined();
    expect(socket.check?.({}, { ...where, hooks: ['OUTPUT'] })).toMatch(/OUTPUT/);
  });
});
