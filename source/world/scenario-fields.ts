/**
 * The scenario file's values that are text with a shape (addresses, prefixes, marks), as zod
 * types: a value the engine cannot read is refused with its path when the file is read, instead
 * of failing deep in the engine ("not an address") or being quietly ignored (a route that never
 * matches, a server that never gets its connection).
 */
import { z } from 'zod';
import type { Family } from '../model/index.js';
import { parseAddress } from '../netfilter/address.js';

/** A string that `fits`, else an error that says what was expected and what was found. */
function shaped(fits: (text: string) => boolean, expected: string) {
  return z.string().superRefine((text, ctx) => {
    if (!fits(text))
      ctx.addIssue({
        code: 'custom',
        message: `expected ${expected}, got ${JSON.stringify(text)}`,
      });
  });
}

function familyOfAddress(text: string): Family | undefined {
  return parseAddress(text)?.family;
}

/** `A` or `A/LEN` in any family; LEN 0 to 32 (IPv4) or 128 (IPv6), in decimal. */
function isPrefix(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return familyOfAddress(text) !== undefined;
  const family = familyOfAddress(text.slice(0, slash));
  const length = text.slice(slash + 1);
  if (family === undefined || !/^\d{1,3}$/.test(length)) return false;
  return Number(length) <= (family === 'ipv4' ? 32 : 128);
}

/** An IPv4 or IPv6 address, or only one family's. */
export function address(family?: Family) {
  const what =
    family === 'ipv4'
      ? 'an IPv4 address such as 127.0.0.6'
      : family === 'ipv6'
        ? 'an IPv6 address such as ::6'
        : 'an IPv4 or IPv6 address such as 10.0.0.1';
  return shaped((text) => {
    const f = familyOfAddress(text);
    return f !== undefined && (family === undefined || f === family);
  }, what);
}

/** An interface's address: `10.0.0.2/24`, `fd00::2/64` (without a length: the whole address). */
export const interfaceAddress = shaped(
  isPrefix,
  'an address with its prefix length, such as 10.0.0.2/24 or fd00::2/64',
);

/** A route's or an ip rule's destination: an address or `A/LEN`; for a route also `default`. */
export function prefix(allowDefault: boolean) {
  return shaped(
    (text) => (allowDefault && text === 'default') || isPrefix(text),
    `${allowDefault ? 'default, ' : ''}an address or a prefix such as 10.0.0.0/8 or fd00::/64`,
  );
}

const MARK_PART = /^(0x[0-9a-f]{1,8}|\d{1,10})$/i;

function isMarkPart(text: string | undefined): boolean {
  return text !== undefined && MARK_PART.test(text) && Number(text) <= 0xffff_ffff;
}

/** `ip rule ... fwmark MARK[/MASK]`: 32-bit numbers, decimal or 0x hex. */
export const fwmark = shaped((text) => {
  const [value, mask, more] = text.split('/');
  return more === undefined && isMarkPart(value) && (mask === undefined || isMarkPart(mask));
}, 'a 32-bit mark with an optional mask, such as 0x539 or 0x539/0xfff');

/** A packet mark (SO_MARK, TPROXY's mark): 32 bits. */
export const mark = z.number().int().min(0).max(0xffff_ffff);
