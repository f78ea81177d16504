import { describe, expect, it } from 'vitest';
import { actOf, listed, packet, refusal, saved } from '../test-helpers.js';
import { CT } from './CT.js';

describe('CT target', () => {
  it('--notrack leaves the packet untracked (istio DNS: -j CT --notrack)', () => {
    const e = actOf(CT, '--notrack');
    expect(e.verdict).toBe('CONTINUE');
    expect(e.conntrack).toEqual({ untracked: true });
  });

  it('--zone puts the connection in another conntrack zone (istio DNS zones)', () => {
    expect(actOf(CT, '--zone 1').conntrack).toEqual({ zone: 1 });
    expect(refusal(CT, '--zone 70000')).toMatch(/bad value/);
  });

  it('--zone mark takes the zone from the packet mark (XT_CT_ZONE_MARK)', () => {
    expect(actOf(CT, '--zone mark', packet({ mark: 0x10007 })).conntrack).toEqual({ zone: 7 });
    expect(saved(CT, '--zone mark')).toBe('--zone mark');
  });

  it('knows the event names libxt_CT knows', () => {
    expect(refusal(CT, '--ctevents new,assured,secmark')).toBeUndefined();
    expect(refusal(CT, '--ctevents new,zzz')).toMatch(/bad value/);
    expect(refusal(CT, '--expevents destroy')).toMatch(/bad value/);
  });

  it('a helper changes nothing nfdb shows', () => {
    const e = actOf(CT, '--helper ftp');
    expect(e.verdict).toBe('CONTINUE');
    expect(e.conntrack).toBeUndefined();
  });

  it('is allowed only in the raw table', () => {
    const where = { family: 'ipv4' as const, hooks: ['OUTPUT' as const], protocolNegated: false };
    expect(CT.check?.({}, { ...where, table: 'raw' })).toBeUndefined();
    expect(CT.check?.({}, { ...where, table: 'mangle' })).toMatch(/raw/);
  });

  it('saves and lists as iptables does', () => {
    expect(saved(CT, '--notrack')).toBe('--notrack');
    expect(saved(CT, '--zone 1')).toBe('--zone 1');
    expect(saved(CT, '--helper ftp')).toBe('--helper ftp');
    expect(saved(CT, '--ctevents new,related --zone 5')).toBe('--ctevents new,related --zone 5');
    expect(listed(CT, '--notrack')).toBe('CT notrack');
    expect(listed(CT, '--zone 1')).toBe('CT zone 1');
    expect(listed(CT, '--helper ftp')).toBe('CT helper ftp');
    expect(listed(CT, '--ctevents new,related --zone 5')).toBe('CT ctevents new,related zone 5');
    expect(listed(CT, '--zone-orig 3')).toBe('CT zone-orig 3');
    expect(listed(CT, '--expevents new')).toBe('CT expevents new');
  });
});
