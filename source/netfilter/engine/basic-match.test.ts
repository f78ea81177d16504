import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../model/index.js';
import { lines, ruleset } from '../../rules/test-helpers.js';
import { cidrContains, parseCidr } from '../address.js';
import { packet } from '../test-helpers.js';
import { addressOf, basicMiss } from './basic-match.js';
import { type CompiledRule, compileRuleset } from './compile.js';

/** The rule `-A FORWARD <spec>` compiled as the engine scans it. */
function rule(spec: string, family: 'ipv4' | 'ipv6' = 'ipv4'): CompiledRule {
  const r = ruleset(lines('*filter', `-A FORWARD ${spec}`, 'COMMIT'), family);
  return compileRuleset(r).tables.get('filter')?.chains.get('FORWARD')?.rules[0] as CompiledRule;
}

const miss = (spec: string, p: Partial<Packet> = {}) => basicMiss(rule(spec), packet(p));

describe('basicMiss: the IP header part of a rule (ip_packet_match)', () => {
  it('matches a rule without header conditions', () => {
    expect(miss('-j ACCEPT')).toBeUndefined();
  });

  it('checks the protocol by number, with `!`, and `-p all` takes every packet', () => {
    expect(miss('-p tcp -j ACCEPT')).toBeUndefined();
    expect(miss('-p udp -j ACCEPT')).toBe('-p udp: the packet is tcp');
    expect(miss('! -p tcp -j ACCEPT')).toBe('! -p tcp: the packet is tcp');
    expect(miss('-p 17 -j ACCEPT', { protocol: 'udp' })).toBeUndefined();
    expect(miss('-p all -j ACCEPT', { protocol: 'icmp' })).toBeUndefined();
  });

  it('checks source and destination against the masked address, with `!`', () => {
    expect(miss('-s 10.244.0.0/16 -j ACCEPT')).toBeUndefined();
    expect(miss('-s 10.244.0.0/16 -j ACCEPT', { src: '10.245.0.1' })).toMatch(
      /^-s 10\.244\.0\.0.*: source is 10\.245\.0\.1$/,
    );
    expect(miss('-d 10.96.0.10 -j ACCEPT')).toBeUndefined();
    expect(miss('! -d 10.96.0.0/12 -j ACCEPT')).toMatch(
      /^! -d 10\.96\.0\.0.*: destination is 10\.96\.0\.10$/,
    );
    // A non-contiguous mask keeps the bits it names: 1.2.3.4/255.0.255.0 is 1.0.3.0 under it.
    expect(miss('-s 1.2.3.4/255.0.255.0 -j ACCEPT', { src: '1.99.3.99' })).toBeUndefined();
    expect(miss('-s 1.2.3.4/255.0.255.0 -j ACCEPT', { src: '1.99.4.99' })).toMatch(
      /source is 1\.99\.4\.99$/,
    );
  });

  it('checks IPv6 addresses', () => {
    const p = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00:1::3' });
    expect(basicMiss(rule('-d fd00:1::/64 -j ACCEPT', 'ipv6'), p)).toBeUndefined();
    expect(basicMiss(rule('-s ::1 -j ACCEPT', 'ipv6'), p)).toMatch(/source is fd00::2$/);
  });

  it('checks interfaces, `+` as a prefix wildcard, and no interface as none', () => {
    expect(miss('-i eth+ -j ACCEPT', { inInterface: 'eth0' })).toBeUndefined();
    expect(miss('-i eth+ -j ACCEPT', { inInterface: 'veth0' })).toBe(
      '-i eth+: in interface is veth0',
    );
    expect(miss('-i eth+ -j ACCEPT')).toBe('-i eth+: in interface is none');
    expect(miss('! -o lo -j ACCEPT', { outInterface: 'lo' })).toMatch(
      /-o lo: out interface is lo$/,
    );
    expect(miss('! -o lo -j ACCEPT', { outInterface: 'eth0' })).toBeUndefined();
    expect(miss('-o lo -j ACCEPT', { outInterface: 'lo0' })).toBe('-o lo: out interface is lo0');
  });

  it('checks -f: only second and later fragments', () => {
    expect(miss('-f -j ACCEPT')).toBe('-f: not a later fragment');
    expect(miss('-f -j ACCEPT', { fragment: true })).toBeUndefined();
    expect(miss('! -f -j ACCEPT', { fragment: true })).toBe('! -f: a later fragment');
  });

  it('gives the first condition that missed, in the order the kernel checks them', () => {
    expect(miss('-p udp -s 1.1.1.1 -i x -j ACCEPT')).toBe('-p udp: the packet is tcp');
    expect(miss('-s 1.1.1.1 -d 2.2.2.2 -j ACCEPT')).toMatch(/^-s /);
  });

  it('gives the same answer when asked again (the reason heads are kept on the rule)', () => {
    const r = rule('-s 10.0.0.0/8 -j ACCEPT');
    const first = basicMiss(r, packet({ src: '192.168.1.1' }));
    expect(basicMiss(r, packet({ src: '192.168.1.2' }))).toBe(first?.replace('.1.1', '.1.2'));
  });
});

describe('addressOf', () => {
  it('parses an address and refuses what is not one', () => {
    expect(addressOf('10.0.0.1')).toEqual(addressOf('10.0.0.1'));
    expect(() => addressOf('not-an-address')).toThrow('not an address: not-an-address');
  });
});

describe('basicMiss quotes the rule as it is written', () => {
  // The reason starts with the rule's own condition; it must be the condition that missed. The
  // address head drops the prefix length (formatAddress of the network only), and the interface
  // head drops the `!`, so the trace explains a miss with a condition the rule does not have.
  it('keeps the prefix length of -s/-d and the `!` of -i/-o', () => {
    expect(miss('-s 10.0.0.0/8 -j ACCEPT', { src: '192.168.1.1' })).toBe(
      '-s 10.0.0.0/8: source is 192.168.1.1',
    );
    expect(miss('! -o lo -j ACCEPT', { outInterface: 'lo' })).toBe('! -o lo: out interface is lo');
  });
});

describe('the scan compares IPv4 prefixes as signed words', () => {
  const octets = fc.tuple(...[0, 0, 0, 0].map(() => fc.integer({ min: 0, max: 255 })));
  const dotted = octets.map((o) => o.join('.'));
  // A prefix length, or a mask written out (contiguous or not), as a rule may give either.
  const suffix = fc.oneof(fc.integer({ min: 0, max: 32 }).map(String), dotted);
  // A network and an address that shares its first `keep` octets: inside as often as not.
  const near = fc
    .tuple(octets, octets, fc.integer({ min: 0, max: 4 }))
    .map(([n, a, keep]): [string, string] => [
      n.join('.'),
      [...n.slice(0, keep), ...a.slice(keep)].join('.'),
    ]);

  it('agrees with cidrContains for every address, prefix and mask, with `!`', () => {
    fc.assert(
      fc.property(near, suffix, fc.boolean(), ([net, addr], mask, negated) => {
        const parsed = parseCidr(`${net}/${mask}`, 'ipv4');
        if (!parsed.ok) return;
        const contained = cidrContains(parsed.compiled, addressOf(addr));
        const spec = `${negated ? '! ' : ''}-d ${net}/${mask} -j ACCEPT`;
        expect(miss(spec, { dst: addr }) === undefined).toBe(contained !== negated);
      }),
      { numRuns: 500 },
    );
  });

  it('never matches an IPv4 prefix against an IPv6 packet, nor the other way', () => {
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: '::' });
    expect(basicMiss(rule('-d 0.0.0.0/0 -j ACCEPT'), v6)).toMatch(/destination is ::$/);
    expect(basicMiss(rule('-s ::/0 -j ACCEPT', 'ipv6'), packet({}))).toMatch(/source is /);
  });
});
