/**
 * IPv4 and IPv6 addresses and prefixes. Hand-written on purpose: the rule scan compares
 * addresses for every rule of every packet, and a kube-proxy ruleset has tens of thousands of
 * `-d X/32` rules, so parsing happens once at load and matching is integer arithmetic.
 *
 * An address is kept as a bigint-free pair: IPv4 as one unsigned 32-bit number, IPv6 as four.
 */

import type { Cidr, Family } from '../model/index.js';
import { cNumber } from './extension.js';

export interface Address {
  readonly family: Family;
  /** One word for IPv4, four for IPv6, each an unsigned 32-bit number. */
  readonly words: readonly number[];
}

/** A prefix ready for matching: network words and mask words. */
export interface CompiledCidr {
  readonly family: Family;
  readonly network: readonly number[];
  readonly mask: readonly number[];
}

export function parseIPv4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3) return undefined;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value >>> 0 : undefined;
}

function parseHextet(text: string): number | undefined {
  if (text.length === 0 || text.length > 4) return undefined;
  const value = Number.parseInt(text, 16);
  return /^[0-9a-fA-F]+$/.test(text) ? value : undefined;
}

export function parseIPv6(text: string): number[] | undefined {
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    body = `${body.slice(0, lastColon + 1)}`;
    body = body.endsWith('::') ? body : body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map(parseHextet));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const given = head.length + rest.length + tail.length;
  if (head.includes(undefined) || rest.includes(undefined)) return undefined;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const zeros = new Array<number>(8 - given).fill(0);
  const hextets = [...(head as number[]), ...zeros, ...(rest as number[]), ...tail];
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2)
    words.push((((hextets[i] ?? 0) << 16) | (hextets[i + 1] ?? 0)) >>> 0);
  return words;
}

export function parseAddress(text: string): Address | undefined {
  if (text.includes(':')) {
    const words = parseIPv6(text);
    return words ? { family: 'ipv6', words } : undefined;
  }
  const v4 = parseIPv4(text);
  return v4 === undefined ? undefined : { family: 'ipv4', words: [v4] };
}

/**
 * The IPv4 address `text` as iptables-save prints it: `text` itself when it is printed so already
 * (no leading zeros), else formatted anew; undefined when it is not an IPv4 address.
 */
export function ipv4Text(text: string): string | undefined {
  const value = parseIPv4(text);
  if (value === undefined) return undefined;
  for (let i = 0; i < text.length - 1; i++) {
    const partStart = i === 0 || text.charCodeAt(i - 1) === 46; /* . */
    if (partStart && text.charCodeAt(i) === 48 /* 0 */ && text.charCodeAt(i + 1) !== 46)
      return formatIPv4(value);
  }
  return text;
}

export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text, as inet_ntop prints it (which is what iptables-save uses). */
export function formatIPv6(words: readonly number[]): string {
  const hextets: number[] = [];
  for (const w of words) hextets.push(w >>> 16, w & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // inet_ntop writes IPv4-compatible and IPv4-mapped addresses with a dotted tail.
  if (bestStart === 0 && bestLength === 6) return `::${formatIPv4(words[3] ?? 0)}`;
  if (bestStart === 0 && bestLength === 5 && hextets[5] === 0xffff) {
    return `::ffff:${formatIPv4(words[3] ?? 0)}`;
  }
  const text = (from: number, to: number) =>
    hextets
      .slice(from, to)
      .map((h) => h.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

export function formatAddress(address: Address): string {
  return address.family === 'ipv4' ? formatIPv4(address.words[0] ?? 0) : formatIPv6(address.words);
}

function maskWords(family: Family, prefix: number): number[] {
  const count = family === 'ipv4' ? 1 : 4;
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    const bits = Math.max(0, Math.min(32, prefix - i * 32));
    words.push(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
  }
  return words;
}

/** The prefix length of a contiguous mask, or -1 when the mask has holes. */
function prefixOfMask(words: readonly number[]): number {
  let prefix = 0;
  let ended = false;
  for (const w of words) {
    for (let bit = 31; bit >= 0; bit--) {
      const set = ((w >>> bit) & 1) === 1;
      if (set && ended) return -1;
      if (set) prefix++;
      else ended = true;
    }
  }
  return prefix;
}

export type CidrResult =
  | { readonly ok: true; readonly cidr: Cidr; readonly compiled: CompiledCidr }
  | { readonly ok: false; readonly expected: string };

/**
 * Reads `A`, `A/len` or `A/mask` the way iptables does: the address is masked, a mask that is
 * a prefix becomes a length. Host names are not resolved here (nfdb has no DNS); the caller
 * reports them.
 */
export function parseCidr(text: string, family: Family): CidrResult {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  const expected =
    family === 'ipv4' ? 'an IPv4 address, optionally /0-32 or /mask' : 'an IPv6 address[/0-128]';
  if (!address || address.family !== family) return { ok: false, expected };
  const bits = family === 'ipv4' ? 32 : 128;
  let mask: number[];
  if (slash < 0) {
    mask = maskWords(family, bits);
  } else {
    const maskText = text.slice(slash + 1);
    if (/^\d{1,3}$/.test(maskText) && Number(maskText) <= bits) {
      mask = maskWords(family, Number(maskText));
    } else {
      const asAddress = parseAddress(maskText);
      if (!asAddress || asAddress.family !== family) return { ok: false, expected };
      mask = [...asAddress.words];
    }
  }
  const network = address.words.map((w, i) => (w & (mask[i] ?? 0)) >>> 0);
  const prefix = prefixOfMask(mask);
  const networkText = formatAddress({ family, words: network });
  const cidr: Cidr =
    prefix >= 0
      ? { address: networkText, prefix }
      : { address: networkText, prefix: -1, mask: formatAddress({ family, words: mask }) };
  return { ok: true, cidr, compiled: { family, network, mask } };
}

/**
 * An address as the iptables tools read one in a rule (xtables_ipparse_any): an IPv4 address
 * may leave out its last parts (`1.2.3` is 1.2.3.0, `0/0` is everything), and a prefix length
 * is a number as C writes it (`/010` is 8, `/08` is refused).
 */
export function parseRuleCidr(text: string, family: Family): CidrResult {
  if (family !== 'ipv4') return parseCidr(text, family);
  const slash = text.indexOf('/');
  let address = slash < 0 ? text : text.slice(0, slash);
  if (/^\d{1,3}(\.\d{1,3}){0,2}$/.test(address))
    address = [...address.split('.'), '0', '0', '0'].slice(0, 4).join('.');
  if (slash < 0) return parseCidr(address, family);
  let mask = text.slice(slash + 1);
  if (/^(\d+|0[xX][0-9a-fA-F]+)$/.test(mask)) {
    const length = cNumber(mask);
    if (length === undefined || length > 32)
      return { ok: false, expected: 'an IPv4 address, optionally /0-32 or /mask' };
    mask = String(length);
  }
  return parseCidr(`${address}/${mask}`, family);
}

/**
 * parseCidr(text, 'ipv4').cidr for the common `A.B.C.D` or `A.B.C.D/LEN`, or undefined for
 * anything else (a mask written as an address, a bad address): parseCidr then reads it.
 *
 * Hand-written hot path (every `-s`/`-d` of a large dump): the text is read by character codes
 * without the words arrays, and an address already written as iptables-save writes it (no
 * leading zeros, no host bits under the prefix) is kept as that very text, not formatted anew.
 */
export function parseCidr4(text: string): Cidr | undefined {
  const n = text.length;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  let canonical = true;
  let i = 0;
  for (; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 47; /* the end is read as a slash */
    if (c === 46 /* . */ || c === 47 /* / */) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
      if (c === 47) break;
    } else if (c >= 48 && c <= 57) {
      // A leading zero (`010`) is read as iptables reads it, and the text is not canonical.
      if (digits === 1 && part === 0) canonical = false;
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3) return undefined;
    } else {
      return undefined;
    }
  }
  if (parts !== 4) return undefined;
  const slash = i;
  let prefix = 32;
  if (slash < n) {
    // parseCidr's /^\d{1,3}$/ and `<= 32`; anything else (a mask) is left to it.
    const length = n - slash - 1;
    if (length < 1 || length > 3) return undefined;
    // `/08` is not decimal to the kernel tools (strtoul base 0): parseRuleCidr judges it.
    if (length > 1 && text.charCodeAt(slash + 1) === 48) return undefined;
    prefix = 0;
    for (let k = slash + 1; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) return undefined;
      prefix = prefix * 10 + (c - 48);
    }
    if (prefix > 32) return undefined;
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (value & mask) >>> 0;
  const address =
    canonical && network === value
      ? slash < n
        ? text.slice(0, slash)
        : text
      : formatIPv4(network);
  return { address, prefix };
}

/**
 * Compiles a model Cidr for matching: what parseCidr(cidrText(cidr)) compiles, without writing
 * the text and reading it back (a packet's first pass through a kube-proxy chain compiles
 * 10,000 of them). The address is masked, as parseCidr masks it.
 */
export function compileCidr(cidr: Cidr, family: Family): CompiledCidr {
  const address = parseAddress(cidr.address);
  const bits = family === 'ipv4' ? 32 : 128;
  const maskAddress = cidr.prefix >= 0 ? undefined : parseAddress(cidr.mask ?? '');
  const mask =
    cidr.prefix >= 0 && Number.isInteger(cidr.prefix) && cidr.prefix <= bits
      ? maskWords(family, cidr.prefix)
      : maskAddress?.family === family
        ? maskAddress.words
        : undefined;
  if (!address || address.family !== family || !mask)
    throw new Error(`not a canonical ${family} prefix: ${cidrText(cidr)}`);
  const network = address.words.map((w, i) => (w & (mask[i] ?? 0)) >>> 0);
  return { family, network, mask };
}

export function cidrText(cidr: Cidr): string {
  return cidr.prefix >= 0 ? `${cidr.address}/${cidr.prefix}` : `${cidr.address}/${cidr.mask}`;
}

export function cidrContains(cidr: CompiledCidr, address: Address): boolean {
  if (cidr.family !== address.family) return false;
  for (let i = 0; i < cidr.network.length; i++) {
    if (((address.words[i] ?? 0) & (cidr.mask[i] ?? 0)) >>> 0 !== cidr.network[i]) return false;
  }
  return true;
}

/** Compares two addresses of one family: negative, zero or positive (for iprange). */
export function compareAddress(a: Address, b: Address): number {
  for (let i = 0; i < a.words.length; i++) {
    const d = (a.words[i] ?? 0) - (b.words[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
