import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileCidr,
  formatAddress,
  ipv4Text,
  parseAddress,
  parseCidr,
  parseCidr4,
} from './address.js';

const octet = fc.oneof(
  fc.nat(300).map(String),
  fc.nat(99).map((n) => `0${n}`),
);
const ipv4ish = fc
  .tuple(
    octet,
    octet,
    octet,
    octet,
    fc.option(fc.oneof(fc.nat(40).map(String), fc.constant('024'))),
  )
  .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}${p === null ? '' : `/${p}`}`);
const anything = fc.oneof(ipv4ish, fc.string({ maxLength: 20 }));

describe('parseCidr4', () => {
  it('keeps canonical text and masks host bits as iptables-save prints them', () => {
    expect(parseCidr4('10.244.1.7/32')).toEqual({ address: '10.244.1.7', prefix: 32 });
    expect(parseCidr4('10.1.2.3/8')).toEqual({ address: '10.0.0.0', prefix: 8 });
    expect(parseCidr4('010.1.2.3')).toEqual({ address: '10.1.2.3', prefix: 32 });
    expect(parseCidr4('1.2.3.4/255.0.0.0')).toBeUndefined();
  });

  it('is parseCidr for every text it reads', () => {
    fc.assert(
      fc.property(anything, (text) => {
        const fast = parseCidr4(text);
        if (fast === undefined) return;
        const slow = parseCidr(text, 'ipv4');
        expect(slow.ok).toBe(true);
        if (slow.ok) expect(fast).toStrictEqual(slow.cidr);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ipv4Text', () => {
  it('is the address as formatted, or undefined for anything else', () => {
    fc.assert(
      fc.property(anything, (text) => {
        const address = parseAddress(text);
        const expected = address?.family === 'ipv4' ? formatAddress(address) : undefined;
        expect(ipv4Text(text)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compileCidr', () => {
  const hextet = fc.nat(0xffff).map((n) => n.toString(16));
  const ipv6 = fc
    .tuple(fc.array(hextet, { minLength: 8, maxLength: 8 }), fc.option(fc.nat(130)))
    .map(([h, p]) => `${h.join(':')}${p === null ? '' : `/${p}`}`);
  // Masks written out, contiguous or not: the model keeps those as text (Cidr.mask).
  const masked = fc
    .tuple(octet, octet, octet, octet, fc.nat(0xffffffff))
    .map(
      ([a, b, c, d, m]) => `${a}.${b}.${c}.${d}/${formatAddress({ family: 'ipv4', words: [m] })}`,
    );

  it('compiles a model prefix as parseCidr compiles its text', () => {
    const family = (text: string) => (text.includes(':') ? 'ipv6' : 'ipv4');
    fc.assert(
      fc.property(fc.oneof(ipv4ish, masked, ipv6), (text) => {
        const parsed = parseCidr(text, family(text));
        if (!parsed.ok) return;
        expect(compileCidr(parsed.cidr, family(text))).toStrictEqual(parsed.compiled);
      }),
      { numRuns: 2000 },
    );
  });

  it('masks an address with host bits, and refuses what is no prefix', () => {
    const parsed = parseCidr('10.1.2.3/8', 'ipv4');
    expect(parsed.ok && parsed.compiled).toStrictEqual(
      compileCidr({ address: '10.1.2.3', prefix: 8 }, 'ipv4'),
    );
    expect(() => compileCidr({ address: '10.0.0.0', prefix: 33 }, 'ipv4')).toThrow(/prefix/);
    expect(() => compileCidr({ address: 'fd00::', prefix: 8 }, 'ipv4')).toThrow(/prefix/);
    expect(() => compileCidr({ address: '10.0.0.0', prefix: -1 }, 'ipv4')).toThrow(/prefix/);
  });
});
