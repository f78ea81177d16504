import { describe, expect, it } from 'vitest';
import { actOf, listed, packet, refusal, saved } from '../test-helpers.js';
import { MARK } from './MARK.js';

const markAfter = (options: string, mark: number) =>
  actOf(MARK, options, packet({ mark })).packet?.mark;

describe('MARK target', () => {
  it('changes skb->mark as xt_MARK does: (mark & ~mask) ^ value, and goes on', () => {
    const effect = actOf(MARK, '--set-mark 0x539', packet({ mark: 0xffff }));
    expect(effect.verdict).toBe('CONTINUE');
    expect(effect.packet?.mark).toBe(0x539);
    expect(markAfter('--set-xmark 0x4000/0x4000', 0x1)).toBe(0x4001);
    expect(markAfter('--or-mark 0x4000', 0x1)).toBe(0x4001);
    expect(markAfter('--and-mark 0xff', 0x4011)).toBe(0x11);
    expect(markAfter('--xor-mark 0x4000', 0x4001)).toBe(0x1);
    // --set-mark v/m zeroes m|v, then sets v
    expect(markAfter('--set-mark 0x10/0x1', 0xff)).toBe(0xfe);
    // kube-proxy: -j MARK --set-xmark 0x4000/0x0 in KUBE-POSTROUTING (xor)
    expect(markAfter('--set-xmark 0x4000/0x0', 0x4000)).toBe(0);
  });

  it('needs one of the mark options', () => {
    expect(refusal(MARK, '')).toMatch(/MARK: option .* must be specified/);
  });

  it('saves every form as --set-xmark, as iptables-save does', () => {
    expect(saved(MARK, '--set-mark 0x539')).toBe('--set-xmark 0x539/0xffffffff');
    expect(saved(MARK, '--or-mark 0x4000')).toBe('--set-xmark 0x4000/0x4000');
    expect(saved(MARK, '--and-mark 0xff')).toBe('--set-xmark 0x0/0xffffff00');
    expect(saved(MARK, '--xor-mark 0x4000')).toBe('--set-xmark 0x4000/0x0');
    expect(saved(MARK, '--set-mark 0x1/0xf')).toBe('--set-xmark 0x1/0xf');
    expect(saved(MARK, '--set-mark 0x10/0x1')).toBe('--set-xmark 0x10/0x11');
  });

  it('lists as iptables -L does', () => {
    expect(listed(MARK, '--set-mark 0x539')).toBe('MARK set 0x539');
    expect(listed(MARK, '--or-mark 0x4000')).toBe('MARK or 0x4000');
    expect(listed(MARK, '--and-mark 0xff')).toBe('MARK and 0xff');
    expect(listed(MARK, '--xor-mark 0x4000')).toBe('MARK xor 0x4000');
    expect(listed(MARK, '--set-mark 0x1/0xf')).toBe('MARK xset 0x1/0xf');
  });
});
