import { describe, expect, it } from 'vitest';
import { context, listed, matchOf, packet, refusal, saved, socketView } from '../test-helpers.js';
import { owner } from './owner.js';

const envoy = context({ socket: socketView({ uid: 1337, gid: 1337 }) });
const app = context({ socket: socketView({ uid: 1000, gid: 1000, supplementaryGids: [1337] }) });
const forwarded = context({ hook: 'POSTROUTING' });

describe('owner match', () => {
  it('matches the uid of the sending socket (istio: --uid-owner 1337)', () => {
    expect(matchOf(owner, '--uid-owner 1337', packet(), envoy)).toEqual({ kind: 'match' });
    expect(matchOf(owner, '--uid-owner 1337', packet(), app)).toEqual({
      kind: 'no-match',
      why: 'socket uid 1000',
    });
    expect(matchOf(owner, '! --uid-owner 1337', packet(), app).kind).toBe('match');
    expect(matchOf(owner, '! --uid-owner 1337', packet(), envoy).kind).toBe('no-match');
    expect(matchOf(owner, '--uid-owner 1000-2000', packet(), app).kind).toBe('match');
  });

  it('matches the gid, and the supplementary groups only with --suppl-groups', () => {
    expect(matchOf(owner, '--gid-owner 1337', packet(), envoy).kind).toBe('match');
    expect(matchOf(owner, '--gid-owner 1337', packet(), app).kind).toBe('no-match');
    expect(matchOf(owner, '--gid-owner 1337 --suppl-groups', packet(), app).kind).toBe('match');
    expect(matchOf(owner, '--uid-owner 1000 ! --gid-owner 1337', packet(), app).kind).toBe('match');
  });

  it('without a socket, matches only when every option is inverted (xt_owner)', () => {
    // kernel: return (info->match ^ info->invert) == 0
    expect(matchOf(owner, '--uid-owner 1337', packet(), forwarded).kind).toBe('no-match');
    expect(matchOf(owner, '! --uid-owner 1337', packet(), forwarded)).toEqual({ kind: 'match' });
    expect(matchOf(owner, '! --uid-owner 1337 ! --gid-owner 1337', packet(), forwarded).kind).toBe(
      'match',
    );
    expect(matchOf(owner, '! --uid-owner 1337 --gid-owner 1337', packet(), forwarded).kind).toBe(
      'no-match',
    );
    expect(matchOf(owner, '! --gid-owner 5 --suppl-groups', packet(), forwarded).kind).toBe(
      'no-match',
    );
    expect(matchOf(owner, '--socket-exists', packet(), forwarded).kind).toBe('no-match');
    expect(matchOf(owner, '! --socket-exists', packet(), forwarded).kind).toBe('match');
  });

  it('--socket-exists tests for a socket', () => {
    expect(matchOf(owner, '--socket-exists', packet(), envoy).kind).toBe('match');
    expect(matchOf(owner, '! --socket-exists', packet(), envoy)).toEqual({
      kind: 'no-match',
      why: 'a socket exists',
    });
  });

  it('cannot decide a user name', () => {
    expect(matchOf(owner, '--uid-owner istio-proxy', packet(), envoy).kind).toBe('unknown');
  });

  it('is allowed only in OUTPUT and POSTROUTING', () => {
    const where = { family: 'ipv4' as const, table: 'nat' as const, protocolNegated: false };
    expect(owner.check?.({}, { ...where, hooks: ['OUTPUT'] })).toBeUndefined();
    expect(owner.check?.({}, { ...where, hooks: ['OUTPUT', 'PREROUTING'] })).toMatch(/PREROUTING/);
  });

  it('refuses --suppl-groups without --gid-owner', () => {
    expect(refusal(owner, '--suppl-groups')).toMatch(/--gid-owner/);
    // The order counts: iptables reads --suppl-groups only after --gid-owner.
    expect(refusal(owner, '--suppl-groups --gid-owner 5')).toMatch(
      'owner: option "--suppl-groups" needs "--gid-owner" before it',
    );
    expect(refusal(owner, '--gid-owner 5 --suppl-groups')).toBeUndefined();
    expect(refusal(owner, '--uid-owner 5-1')).toMatch(/bad value/);
  });

  it('saves and lists as iptables does, --socket-exists first', () => {
    expect(saved(owner, '! --uid-owner 1337')).toBe('! --uid-owner 1337');
    expect(saved(owner, '--gid-owner 1337 --suppl-groups')).toBe('--gid-owner 1337 --suppl-groups');
    expect(saved(owner, '--uid-owner 0 --socket-exists')).toBe('--socket-exists --uid-owner 0');
    expect(listed(owner, '--uid-owner 1337')).toBe('owner UID match 1337');
    expect(listed(owner, '! --uid-owner 1337')).toBe('! owner UID match 1337');
    expect(listed(owner, '--gid-owner 1337 --suppl-groups')).toBe(
      'owner GID match 1337 incl. suppl. groups',
    );
    expect(listed(owner, '--uid-owner 1000-2000 ! --gid-owner 5')).toBe(
      'owner UID match 1000-2000 ! owner GID match 5',
    );
    expect(listed(owner, '--socket-exists --uid-owner 0')).toBe(
      'owner socket exists owner UID match 0',
    );
    expect(listed(owner, '! --socket-exists')).toBe('! owner socket exists');
  });
});
