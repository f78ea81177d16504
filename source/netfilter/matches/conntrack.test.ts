import { describe, expect, it } from 'vitest';
import { conntrackView, context, listed, matchOf, packet, saved } from '../test-helpers.js';
import { conntrack } from './conntrack.js';

const established = context({ conntrack: conntrackView() });
const fresh = context({ conntrack: conntrackView({ state: 'NEW', status: [] }) });
const noEntry = context();
const untracked = context({ conntrack: conntrackView({ state: 'UNTRACKED', status: [] }) });

describe('conntrack match', () => {
  it('tests --ctstate, with SNAT and DNAT from the entry status', () => {
    expect(matchOf(conntrack, '--ctstate RELATED,ESTABLISHED', packet(), established)).toEqual({
      kind: 'match',
    });
    expect(matchOf(conntrack, '--ctstate NEW', packet(), established)).toEqual({
      kind: 'no-match',
      why: 'conntrack state is ESTABLISHED,DNAT',
    });
    expect(matchOf(conntrack, '--ctstate DNAT', packet(), established).kind).toBe('match');
    expect(matchOf(conntrack, '--ctstate NEW', packet(), fresh).kind).toBe('match');
    expect(matchOf(conntrack, '! --ctstate INVALID,NEW,DNAT', packet(), established).kind).toBe(
      'no-match',
    );
  });

  it('takes a packet without an entry as INVALID, and an untracked one as UNTRACKED', () => {
    expect(matchOf(conntrack, '--ctstate INVALID', packet(), noEntry).kind).toBe('match');
    expect(matchOf(conntrack, '--ctstate UNTRACKED', packet(), untracked).kind).toBe('match');
    expect(matchOf(conntrack, '--ctstate INVALID', packet(), untracked).kind).toBe('no-match');
  });

  it('without an entry, matches on --ctstate alone and ignores the rest (xt_conntrack)', () => {
    // kernel: if (ct == NULL) return info->match_flags & XT_CONNTRACK_STATE;
    expect(
      matchOf(conntrack, '--ctstate INVALID --ctorigdst 192.0.2.1', packet(), noEntry).kind,
    ).toBe('match');
    expect(matchOf(conntrack, '--ctstate UNTRACKED --ctdir REPLY', packet(), untracked).kind).toBe(
      'match',
    );
    expect(matchOf(conntrack, '--ctorigdst 10.96.0.10', packet(), noEntry).kind).toBe('no-match');
    expect(matchOf(conntrack, '--ctdir ORIGINAL', packet(), untracked).kind).toBe('no-match');
  });

  it('tests the original and reply tuples', () => {
    expect(matchOf(conntrack, '--ctorigdst 10.96.0.0/12', packet(), established).kind).toBe(
      'match',
    );
    expect(matchOf(conntrack, '! --ctorigdst 10.96.0.0/12', packet(), established).kind).toBe(
      'no-match',
    );
    expect(matchOf(conntrack, '--ctreplsrc 10.244.2.7', packet(), established).kind).toBe('match');
    expect(
      matchOf(conntrack, '--ctorigdstport 80 --ctreplsrcport 8080', packet(), established).kind,
    ).toBe('match');
    expect(matchOf(conntrack, '--ctorigdstport 443', packet(), established)).toEqual({
      kind: 'no-match',
      why: 'ctorigdstport 80',
    });
  });

  it('tests direction, status and the connection protocol', () => {
    expect(matchOf(conntrack, '--ctdir ORIGINAL', packet(), established).kind).toBe('match');
    expect(matchOf(conntrack, '--ctdir REPLY', packet(), established).kind).toBe('no-match');
    expect(matchOf(conntrack, '--ctstatus ASSURED,SEEN_REPLY', packet(), established).kind).toBe(
      'match',
    );
    expect(matchOf(conntrack, '--ctstatus ASSURED', packet(), established).kind).toBe('no-match');
    expect(matchOf(conntrack, '--ctproto tcp', packet(), established).kind).toBe('match');
    // An ICMP error RELATED to a TCP connection: --ctproto is the connection's protocol.
    const icmpError = packet({ protocol: 'icmp', protocolNumber: 1 });
    const related = context({ conntrack: conntrackView({ state: 'RELATED' }) });
    expect(matchOf(conntrack, '--ctproto tcp', icmpError, related).kind).toBe('match');
    expect(matchOf(conntrack, '--ctproto icmp', icmpError, related).kind).toBe('no-match');
  });

  it('cannot decide --ctexpire, unless another test already failed', () => {
    expect(matchOf(conntrack, '--ctexpire 10:20', packet(), established).kind).toBe('unknown');
    expect(matchOf(conntrack, '--ctdir REPLY --ctexpire 10:20', packet(), established).kind).toBe(
      'no-match',
    );
  });

  it('saves and lists as iptables does', () => {
    expect(saved(conntrack, '--ctstate ESTABLISHED,RELATED')).toBe('--ctstate RELATED,ESTABLISHED');
    expect(saved(conntrack, '! --ctstate NEW,INVALID,DNAT')).toBe('! --ctstate INVALID,NEW,DNAT');
    expect(
      saved(
        conntrack,
        '--ctdir REPLY --ctstatus ASSURED,SEEN_REPLY --ctorigdst 10.0.0.0/8 --ctorigdstport 80',
      ),
    ).toBe('--ctorigdst 10.0.0.0/8 --ctorigdstport 80 --ctstatus SEEN_REPLY,ASSURED --ctdir REPLY');
    expect(saved(conntrack, '--ctproto tcp ! --ctorigsrc 10.1.1.1/32')).toBe(
      '--ctproto 6 ! --ctorigsrc 10.1.1.1',
    );
    expect(listed(conntrack, '--ctstate RELATED,ESTABLISHED')).toBe('ctstate RELATED,ESTABLISHED');
    expect(listed(conntrack, '! --ctstate INVALID,NEW,DNAT')).toBe('! ctstate INVALID,NEW,DNAT');
    expect(listed(conntrack, '--ctproto tcp ! --ctorigsrc 10.1.1.1')).toBe(
      'ctproto 6 ! ctorigsrc 10.1.1.1',
    );
    expect(
      listed(
        conntrack,
        '--ctorigdst 10.0.0.0/8 --ctorigdstport 80 --ctstatus SEEN_REPLY,ASSURED --ctdir REPLY',
      ),
    ).toBe('ctorigdst 10.0.0.0/8 ctorigdstport 80 ctstatus SEEN_REPLY,ASSURED ctdir REPLY');
  });
});
