import { describe, expect, it } from 'vitest';
import { actOf, listed, saved } from '../test-helpers.js';
import { MASQUERADE } from './MASQUERADE.js';

describe('MASQUERADE target', () => {
  it('SNATs to the outgoing interface address, which the engine fills in', () => {
    expect(actOf(MASQUERADE, '')).toEqual({
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', masquerade: true, port: undefined } },
    });
    expect(actOf(MASQUERADE, '--to-ports 1024-65535').conntrack?.nat?.port).toBe(1024);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(MASQUERADE, '')).toBe('');
    expect(saved(MASQUERADE, '--random-fully')).toBe('--random-fully');
    expect(saved(MASQUERADE, '--random --to-ports 1024-65535')).toBe(
      '--to-ports 1024-65535 --random',
    );
    expect(listed(MASQUERADE, '')).toBe('');
    expect(listed(MASQUERADE, '--to-ports 1024-65535 --random')).toBe(
      'masq ports: 1024-65535 random',
    );
    expect(listed(MASQUERADE, '--random-fully')).toBe('random-fully');
  });

  it('is allowed only in nat POSTROUTING', () => {
    const where = { family: 'ipv4' as const, table: 'nat' as const, protocolNegated: false };
    expect(MASQUERADE.check?.({}, { ...where, hooks: ['POSTROUTING'] })).toBeUndefined();
    expect(MASQUERADE.check?.({}, { ...where, hooks: ['OUTPUT'] })).toMatch(/OUTPUT/);
  });
});
