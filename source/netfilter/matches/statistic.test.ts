import { describe, expect, it } from 'vitest';
import { context, listed, matchOf, packet, parsed, refusal, saved } from '../test-helpers.js';
import { statistic } from './statistic.js';

describe('statistic match', () => {
  it('--mode random matches when the seeded draw is below the probability', () => {
    const draw = (r: number) => context({ random: () => r });
    expect(matchOf(statistic, '--mode random --probability 0.2', packet(), draw(0.1))).toEqual({
      kind: 'match',
    });
    expect(matchOf(statistic, '--mode random --probability 0.2', packet(), draw(0.5)).kind).toBe(
      'no-match',
    );
    expect(matchOf(statistic, '--mode random ! --probability 0.2', packet(), draw(0.5)).kind).toBe(
      'match',
    );
    expect(matchOf(statistic, '--mode random --probability 1', packet(), draw(0.999)).kind).toBe(
      'match',
    );
    expect(matchOf(statistic, '--mode random --probability 0', packet(), draw(0)).kind).toBe(
      'no-match',
    );
  });

  it('stores the probability as the kernel does: round(p * 2^31) / 2^31', () => {
    const p = parsed(statistic, '--mode random --probability 0.2').probability?.value;
    expect(p).toBe(Math.round(0.2 * 2 ** 31) / 2 ** 31);
  });

  it('--mode nth --packet 0 matches the first packet, then every nth (xt_statistic)', () => {
    const data = parsed(statistic, '--mode nth --every 3 --packet 0');
    const ctx = context();
    const hits = [1, 2, 3, 4, 5, 6, 7].map(
      () => statistic.match(data, packet(), ctx).kind === 'match',
    );
    expect(hits).toEqual([true, false, false, true, false, false, true]);
  });

  it('--packet p shifts the first match to packet p (0-based)', () => {
    const data = parsed(statistic, '--mode nth --every 3 --packet 2');
    const ctx = context();
    const hits = [1, 2, 3, 4, 5, 6].map(
      () => statistic.match(data, packet(), ctx).kind === 'match',
    );
    expect(hits).toEqual([false, false, true, false, false, true]);
    const inverted = parsed(statistic, '--mode nth ! --every 2 --packet 0');
    const ctx2 = context();
    const inv = [1, 2, 3, 4].map(() => statistic.match(inverted, packet(), ctx2).kind === 'match');
    expect(inv).toEqual([false, true, false, true]);
  });

  it('refuses what iptables refuses', () => {
    expect(refusal(statistic, '--probability 0.5')).toMatch(/--mode/);
    expect(refusal(statistic, '--mode random')).toMatch(/--probability/);
    expect(refusal(statistic, '--mode random --probability 1.5')).toMatch(/bad value/);
    expect(refusal(statistic, '--mode nth --every 0 --packet 0')).toMatch(/--every/);
    expect(refusal(statistic, '--mode nth --every 3 --packet 3')).toMatch(/--packet/);
    expect(refusal(statistic, '--mode nth --every 3 --packet 0 --probability 0.5')).toMatch(
      /random mode/,
    );
    // iptables 1.8.9 refuses --every without --packet, though its save always prints both.
    expect(refusal(statistic, '--mode nth --every 3')).toMatch(
      'statistic: option "--every" also requires "--packet"',
    );
  });

  it('saves as iptables-save does: 11 decimals, --packet always in nth mode', () => {
    expect(saved(statistic, '--mode random --probability 0.2')).toBe(
      '--mode random --probability 0.20000000019',
    );
    expect(saved(statistic, '--mode random --probability 0.3333333333')).toBe(
      '--mode random --probability 0.33333333349',
    );
    expect(saved(statistic, '--mode random ! --probability 0.5')).toBe(
      '--mode random ! --probability 0.50000000000',
    );
    expect(saved(statistic, '--mode nth --every 3 --packet 1')).toBe(
      '--mode nth --every 3 --packet 1',
    );
  });

  it('lists as iptables -L -n does', () => {
    expect(listed(statistic, '--mode random --probability 0.2')).toBe(
      'statistic mode random probability 0.20000000019',
    );
    expect(listed(statistic, '--mode random ! --probability 0.5')).toBe(
      'statistic mode random ! probability 0.50000000000',
    );
    expect(listed(statistic, '--mode nth --every 3 --packet 1')).toBe(
      'statistic mode nth every 3 packet 1',
    );
    expect(listed(statistic, '--mode nth ! --every 3 --packet 0')).toBe(
      'statistic mode nth ! every 3',
    );
  });
});
