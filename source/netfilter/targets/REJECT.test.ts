import { describe, expect, it } from 'vitest';
import { actOf, listed, packet, refusal, saved } from '../test-helpers.js';
import { REJECT } from './REJECT.js';

describe('REJECT target', () => {
  it('drops and answers, by default with port unreachable', () => {
    expect(actOf(REJECT, '')).toEqual({
      verdict: 'DROP',
      reject: { with: 'icmp-port-unreachable' },
    });
    const v6 = packet({ family: 'ipv6', src: 'fd00::5', dst: 'fd00::a' });
    expect(actOf(REJECT, '', v6).reject).toEqual({ with: 'icmp6-port-unreachable' });
    expect(actOf(REJECT, '--reject-with tcp-reset').reject).toEqual({ with: 'tcp-reset' });
  });

  it('reads the short names', () => {
    expect(saved(REJECT, '--reject-with host-prohib')).toBe('--reject-with icmp-host-prohibited');
    expect(saved(REJECT, '--reject-with tcp-rst')).toBe('--reject-with tcp-reset');
    expect(refusal(REJECT, '--reject-with icmp6-no-route')).toMatch(/bad value/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(REJECT, '')).toBe('--reject-with icmp-port-unreachable');
    expect(listed(REJECT, '')).toBe('reject-with icmp-port-unreachable');
    expect(listed(REJECT, '--reject-with tcp-reset')).toBe('reject-with tcp-reset');
  });

  it('checks tcp-reset needs -p tcp and the hooks (INPUT, FORWARD, OUTPUT)', () => {
    const where = {
      family: 'ipv4' as const,
      table: 'filter' as const,
      hooks: ['INPUT' as const],
      protocol: 'tcp',
      protocolNegated: false,
    };
    const reset = { 'reject-with': { value: 'tcp-reset', text: 'tcp-reset', negated: false } };
    expect(REJECT.check?.(reset, where)).toBeUndefined();
    expect(REJECT.check?.(reset, { ...where, protocol: 'udp' })).toMatch(/-p tcp/);
    expect(REJECT.check?.({}, { ...where, hooks: ['PREROUTING'] })).toMatch(/PREROUTING/);
  });
});
