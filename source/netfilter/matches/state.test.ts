import { describe, expect, it } from 'vitest';
import {
  conntrackView,
  context,
  listed,
  matchOf,
  packet,
  refusal,
  saved,
} from '../test-helpers.js';
import { state } from './state.js';

describe('state match', () => {
  it('tests the conntrack state of the packet', () => {
    const established = context({ conntrack: conntrackView() });
    expect(matchOf(state, '--state RELATED,ESTABLISHED', packet(), established)).toEqual({
      kind: 'match',
    });
    expect(matchOf(state, '--state NEW', packet(), established)).toEqual({
      kind: 'no-match',
      why: 'conntrack state is ESTABLISHED',
    });
    expect(matchOf(state, '! --state NEW', packet(), established).kind).toBe('match');
  });

  it('takes no entry as INVALID and an untracked packet as UNTRACKED', () => {
    expect(matchOf(state, '--state INVALID', packet(), context()).kind).toBe('match');
    const untracked = context({ conntrack: conntrackView({ state: 'UNTRACKED' }) });
    expect(matchOf(state, '--state UNTRACKED', packet(), untracked).kind).toBe('match');
    expect(matchOf(state, '--state INVALID', packet(), untracked).kind).toBe('no-match');
  });

  it('saves and lists as iptables does', () => {
    expect(saved(state, '--state ESTABLISHED,NEW')).toBe('--state NEW,ESTABLISHED');
    expect(saved(state, '! --state NEW')).toBe('! --state NEW');
    expect(listed(state, '--state NEW,ESTABLISHED')).toBe('state NEW,ESTABLISHED');
    expect(listed(state, '! --state NEW')).toBe('! state NEW');
  });

  it('refuses a state the state match does not know', () => {
    expect(refusal(state, '--state DNAT')).toMatch(/bad value/);
  });
});
