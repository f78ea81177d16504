import { describe, expect, it } from 'vitest';
import { actOf, context, listed, packet, refusal, saved } from '../test-helpers.js';
import { TPROXY } from './TPROXY.js';

const inbound = packet({ inInterface: 'eth0', dst: '10.244.1.5', dport: 8080, mark: 0x100 });
const prerouting = context({ hook: 'PREROUTING', table: 'mangle' });

describe('TPROXY target', () => {
  it('delivers to the local port without rewriting, and marks (istio tproxy mode)', () => {
    const effect = actOf(TPROXY, '--on-port 15006 --tproxy-mark 0x1/0x1', inbound, prerouting);
    expect(effect.verdict).toBe('ACCEPT');
    expect(effect.tproxy).toEqual({ address: '10.244.1.5', port: 15006 });
    expect(effect.packet?.mark).toBe(0x101);
    expect(effect.packet?.dst).toBe('10.244.1.5');
    expect(effect.packet?.dport).toBe(8080);
    expect(effect.conntrack).toBeUndefined();
  });

  it('takes --on-ip, else the primary address of the incoming interface, else the destination', () => {
    expect(actOf(TPROXY, '--on-port 15006 --on-ip 127.0.0.1', inbound, prerouting).tproxy).toEqual({
      address: '127.0.0.1',
      port: 15006,
    });
    const noAddress = packet({ inInterface: 'veth9', dst: '10.244.1.7' });
    expect(actOf(TPROXY, '--on-port 15006', noAddress, prerouting).tproxy?.address).toBe(
      '10.244.1.7',
    );
  });

  it('keeps the destination port with --on-port 0', () => {
    expect(actOf(TPROXY, '--on-port 0', inbound, prerouting).tproxy?.port).toBe(8080);
  });

  it('needs --on-port, -p tcp or udp, mangle PREROUTING', () => {
    expect(refusal(TPROXY, '--on-ip 127.0.0.1')).toMatch(/--on-port/);
    const where = {
      family: 'ipv4' as const,
      table: 'mangle' as const,
      hooks: ['PREROUTING' as const],
      protocol: 'tcp',
      protocolNegated: false,
    };
    expect(TPROXY.check?.({}, where)).toBeUndefined();
    expect(TPROXY.check?.({}, { ...where, protocol: 'icmp' })).toMatch(/-p tcp/);
    expect(TPROXY.check?.({}, { ...where, table: 'nat' })).toMatch(/mangle/);
    expect(TPROXY.check?.({}, { ...where, hooks: ['OUTPUT'] })).toMatch(/OUTPUT/);
  });

  it('saves and lists as iptables does, with the defaults filled in', () => {
    expect(saved(TPROXY, '--on-port 15006 --tproxy-mark 0x1/0x1')).toBe(
      '--on-port 15006 --on-ip 0.0.0.0 --tproxy-mark 0x1/0x1',
    );
    expect(saved(TPROXY, '--on-port 15006 --on-ip 127.0.0.1')).toBe(
      '--on-port 15006 --on-ip 127.0.0.1 --tproxy-mark 0x0/0x0',
    );
    expect(listed(TPROXY, '--on-port 15006 --tproxy-mark 0x1/0x1')).toBe(
      'TPROXY redirect 0.0.0.0:15006 mark 0x1/0x1',
    );
    expect(listed(TPROXY, '--on-port 15006 --on-ip 127.0.0.1')).toBe(
      'TPROXY redirect 127.0.0.1:15006 mark 0x0/0x0',
    );
  });
});
