import { describe, expect, it } from 'vitest';
import { actOf, context, listed, packet, refusal, saved } from '../test-helpers.js';
import { REDIRECT } from './REDIRECT.js';

const where = (hooks: ('PREROUTING' | 'OUTPUT' | 'POSTROUTING')[], table = 'nat' as const) => ({
  family: 'ipv4' as const,
  table,
  hooks,
  protocol: 'tcp',
  protocolNegated: false,
});

describe('REDIRECT target', () => {
  it('in OUTPUT, DNATs to 127.0.0.1 at the given port (istio: --to-ports 15001)', () => {
    expect(actOf(REDIRECT, '--to-ports 15001', packet(), context({ hook: 'OUTPUT' }))).toEqual({
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'dnat', address: '127.0.0.1', port: 15001 } },
    });
    const v6 = packet({ family: 'ipv6', src: 'fd00::5', dst: 'fd00::a' });
    expect(actOf(REDIRECT, '--to-ports 15001', v6, context()).conntrack?.nat?.address).toBe('::1');
  });

  it('in PREROUTING, DNATs to the primary address of the incoming interface', () => {
    const ctx = context({ hook: 'PREROUTING' });
    const inbound = packet({ inInterface: 'eth0', dst: '10.244.1.5', dport: 8080 });
    expect(actOf(REDIRECT, '--to-ports 15006', inbound, ctx).conntrack?.nat).toEqual({
      kind: 'dnat',
      address: '10.244.1.5',
      port: 15006,
    });
  });

  it('drops when the incoming interface has no address (nf_nat_redirect)', () => {
    const ctx = context({ hook: 'PREROUTING' });
    const effect = actOf(REDIRECT, '--to-ports 15006', packet({ inInterface: 'veth9' }), ctx);
    expect(effect.verdict).toBe('DROP');
  });

  it('keeps the destination port without --to-ports, takes the first of a range', () => {
    expect(actOf(REDIRECT, '').conntrack?.nat?.port).toBe(80);
    expect(actOf(REDIRECT, '--to-ports 15006-15008').conntrack?.nat?.port).toBe(15006);
  });

  it('is allowed only in nat PREROUTING and OUTPUT', () => {
    expect(REDIRECT.check?.({}, where(['PREROUTING', 'OUTPUT']))).toBeUndefined();
    expect(REDIRECT.check?.({}, where(['POSTROUTING']))).toMatch(/POSTROUTING/);
    expect(REDIRECT.check?.({}, where(['PREROUTING'], 'mangle' as never))).toMatch(/nat table/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(REDIRECT, '--to-ports 15001')).toBe('--to-ports 15001');
    expect(saved(REDIRECT, '--to-port 15006-15008 --random')).toBe(
      '--to-ports 15006-15008 --random',
    );
    expect(saved(REDIRECT, '')).toBe('');
    expect(listed(REDIRECT, '--to-ports 15001')).toBe('redir ports 15001');
    expect(listed(REDIRECT, '--to-ports 15006-15008 --random')).toBe(
      'redir ports 15006-15008 random',
    );
    expect(refusal(REDIRECT, '--to-ports 15008-15006')).toMatch(/bad value/);
  });
});
