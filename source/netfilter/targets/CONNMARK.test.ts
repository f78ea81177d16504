import { describe, expect, it } from 'vitest';
import { actOf, conntrackView, context, listed, packet, refusal, saved } from '../test-helpers.js';
import { CONNMARK } from './CONNMARK.js';

const withCt = (mark: number) => context({ conntrack: conntrackView({ mark }) });

describe('CONNMARK target', () => {
  it('sets the connection mark', () => {
    expect(actOf(CONNMARK, '--set-mark 0x111/0xfff', packet(), withCt(0xf000))).toEqual({
      verdict: 'CONTINUE',
      conntrack: { mark: 0xf111 },
    });
  });

  it('--save-mark copies the packet mark to the connection: (ct & ~ctmask) ^ (nf & nfmask)', () => {
    const e = actOf(CONNMARK, '--save-mark', packet({ mark: 0x539 }), withCt(0x1));
    expect(e.conntrack?.mark).toBe(0x539);
    expect(e.packet).toBeUndefined();
    const masked = actOf(
      CONNMARK,
      '--save-mark --nfmask 0xf0 --ctmask 0x0f',
      packet({ mark: 0xab }),
      withCt(0x1234),
    );
    expect(masked.conntrack?.mark).toBe((0x1234 & ~0x0f) ^ (0xab & 0xf0));
  });

  it('--restore-mark copies the connection mark to the packet: (nf & ~nfmask) ^ (ct & ctmask)', () => {
    // istio tproxy: -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff
    const e = actOf(
      CONNMARK,
      '--restore-mark --nfmask 0xffffffff --ctmask 0xffffffff',
      packet({ mark: 0x7 }),
      withCt(0x539),
    );
    expect(e.packet?.mark).toBe(0x539);
    const masked = actOf(
      CONNMARK,
      '--restore-mark --mask 0xff',
      packet({ mark: 0xff00 }),
      withCt(0x1234),
    );
    expect(masked.packet?.mark).toBe(0xff34);
  });

  it('does nothing without a conntrack entry', () => {
    const e = actOf(CONNMARK, '--save-mark', packet({ mark: 1 }), context());
    expect(e.verdict).toBe('CONTINUE');
    expect(e.conntrack).toBeUndefined();
    expect(e.packet).toBeUndefined();
  });

  it('needs a mode', () => {
    expect(refusal(CONNMARK, '--mask 0xff')).toMatch(/CONNMARK: option .* must be specified/);
  });

  it('saves as iptables-save does', () => {
    expect(saved(CONNMARK, '--set-mark 0x111/0xfff')).toBe('--set-xmark 0x111/0xfff');
    expect(saved(CONNMARK, '--save-mark')).toBe(
      '--save-mark --nfmask 0xffffffff --ctmask 0xffffffff',
    );
    expect(saved(CONNMARK, '--save-mark --mask 0xff')).toBe(
      '--save-mark --nfmask 0xff --ctmask 0xff',
    );
    expect(saved(CONNMARK, '--restore-mark --ctmask 0x0f --nfmask 0xf0')).toBe(
      '--restore-mark --nfmask 0xf0 --ctmask 0xf',
    );
  });

  it('lists as iptables -L does', () => {
    expect(listed(CONNMARK, '--set-mark 0x111/0xfff')).toBe('CONNMARK xset 0x111/0xfff');
    expect(listed(CONNMARK, '--save-mark')).toBe('CONNMARK save');
    expect(listed(CONNMARK, '--restore-mark --nfmask 0xffffffff --ctmask 0xffffffff')).toBe(
      'CONNMARK restore',
    );
    expect(listed(CONNMARK, '--save-mark --mask 0xff')).toBe('CONNMARK save mask 0xff');
    expect(listed(CONNMARK, '--restore-mark --nfmask 0xf0 --ctmask 0x0f')).toBe(
      'CONNMARK restore ctmask 0xf ~nfmask 0xf0',
    );
    expect(listed(CONNMARK, '--save-mark --nfmask 0xf0 --ctmask 0x0f')).toBe(
      'CONNMARK save nfmask 0xf0 ctmask ~0xf',
    );
  });
});
