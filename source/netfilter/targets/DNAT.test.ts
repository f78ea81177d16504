import { describe, expect, it } from 'vitest';
import { actOf, listed, packet, refusal, saved } from '../test-helpers.js';
import { DNAT } from './DNAT.js';

describe('DNAT target', () => {
  it('binds the connection to the new destination (kube-proxy KUBE-SEP)', () => {
    expect(actOf(DNAT, '--to-destination 10.244.0.1:8080')).toEqual({
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'dnat', address: '10.244.0.1', port: 8080 } },
    });
  });

  it('keeps the port without one, the address with only a port', () => {
    expect(actOf(DNAT, '--to-destination 10.0.0.1').conntrack?.nat).toEqual({
      kind: 'dnat',
      address: '10.0.0.1',
      port: undefined,
    });
    expect(actOf(DNAT, '--to-destination :8080').conntrack?.nat).toEqual({
      kind: 'dnat',
      address: undefined,
      port: 8080,
    });
  });

  it('reads IPv6 with brackets around the address when a port follows', () => {
    const p = packet({ family: 'ipv6', src: 'fd00::5', dst: 'fd00::a' });
    expect(actOf(DNAT, '--to-destination [fd00::1]:8080', p).conntrack?.nat).toEqual({
      kind: 'dnat',
      address: 'fd00::1',
      port: 8080,
    });
    expect(saved(DNAT, '--to-destination [fd00::1]:8080', 'ipv6')).toBe(
      '--to-destination [fd00::1]:8080',
    );
  });

  it('needs --to-destination', () => {
    expect(refusal(DNAT, '')).toMatch(/--to-destination/);
    expect(refusal(DNAT, '--to-destination 10.0.0.300')).toMatch(/bad value/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(DNAT, '--to-destination 10.244.0.1:8080')).toBe(
      '--to-destination 10.244.0.1:8080',
    );
    expect(
      saved(DNAT, '--to-destination 10.244.0.1-10.244.0.9:8080-8090 --persistent --random'),
    ).toBe('--to-destination 10.244.0.1-10.244.0.9:8080-8090 --random --persistent');
    expect(listed(DNAT, '--to-destination 10.244.0.1:8080')).toBe('to:10.244.0.1:8080');
    // NF_NAT_RANGE_PROTO_OFFSET: ports from a base, kept as written.
    expect(saved(DNAT, '--to-destination 1.1.1.1:1000-2000/1000')).toBe(
      '--to-destination 1.1.1.1:1000-2000/1000',
    );
    expect(refusal(DNAT, '--to-destination 1.1.1.1:1000-2000/x')).toMatch(/base port/);
    expect(
      listed(DNAT, '--to-destination 10.244.0.1-10.244.0.9:8080-8090 --random --persistent'),
    ).toBe('to:10.244.0.1-10.244.0.9:8080-8090 random persistent');
  });

  it('is allowed only in nat PREROUTING and OUTPUT', () => {
    const where = { family: 'ipv4' as const, table: 'nat' as const, protocolNegated: false };
    expect(DNAT.check?.({}, { ...where, hooks: ['PREROUTING', 'OUTPUT'] })).toBeUndefined();
    expect(DNAT.check?.({}, { ...where, hooks: ['POSTROUTING'] })).toMatch(/POSTROUTING/);
  });
});
