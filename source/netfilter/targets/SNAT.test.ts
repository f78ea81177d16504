import { describe, expect, it } from 'vitest';
import { actOf, listed, refusal, saved } from '../test-helpers.js';
import { SNAT } from './SNAT.js';

describe('SNAT target', () => {
  it('binds the connection to the new source', () => {
    expect(actOf(SNAT, '--to-source 1.2.3.4')).toEqual({
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', address: '1.2.3.4', port: undefined } },
    });
    expect(actOf(SNAT, '--to-source 1.2.3.4:1000-2000').conntrack?.nat?.port).toBe(1000);
  });

  it('needs --to-source', () => {
    expect(refusal(SNAT, '--random')).toMatch(/--to-source/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(SNAT, '--to-source 1.2.3.4')).toBe('--to-source 1.2.3.4');
    expect(saved(SNAT, '--random-fully --to-source 1.2.3.4:1000-2000')).toBe(
      '--to-source 1.2.3.4:1000-2000 --random-fully',
    );
    expect(listed(SNAT, '--to-source 1.2.3.4')).toBe('to:1.2.3.4');
    expect(listed(SNAT, '--to-source 1.2.3.4:1000-2000 --random-fully')).toBe(
      'to:1.2.3.4:1000-2000 random-fully',
    );
  });

  it('is allowed only in nat POSTROUTING and INPUT', () => {
    const where = { family: 'ipv4' as const, table: 'nat' as const, protocolNegated: false };
    expect(SNAT.check?.({}, { ...where, hooks: ['POSTROUTING', 'INPUT'] })).toBeUndefined();
    expect(SNAT.check?.({}, { ...where, hooks: ['OUTPUT'] })).toMatch(/OUTPUT/);
  });
});
