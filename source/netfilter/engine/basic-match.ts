/**
 * The IP header part of a rule (`-p -s -d -i -o -f`), as ip_packet_match() checks it before
 * any `-m` module runs. Returns why the rule missed, or undefined when the header matches.
 * Hot path: plain comparisons, no allocation on a match.
 */

import type { HeaderField, Packet, PassedRule } from '../../model/index.js';
import { passedMiss } from '../../model/index.js';
import { type Address, cidrContains, cidrText, parseAddress } from '../address.js';
import type { CompiledAddressMatch, CompiledIface, CompiledRule } from './compile.js';

/** An address the engine itself made (a packet's, a route's): a bad one is a programmer error. */
export function addressOf(text: string): Address {
  const a = parseAddress(text);
  if (!a) throw new Error(`not an address: ${text}`);
  return a;
}

/** A packet's addresses, parsed once per walk (and again only when a target rewrites them). */
export interface PacketAddresses {
  readonly src: Address;
  readonly dst: Address;
  /** IPv4 addresses as signed 32-bit integers, for the scan's compare (0 for IPv6). */
  readonly v4: boolean;
  readonly src4: number;
  readonly dst4: number;
}

export function addressesOf(packet: Packet): PacketAddresses {
  const src = addressOf(packet.src);
  const dst = addressOf(packet.dst);
  const v4 = src.family === 'ipv4' && dst.family === 'ipv4';
  return {
    src,
    dst,
    v4,
    src4: v4 ? (src.words[0] ?? 0) | 0 : 0,
    dst4: v4 ? (dst.words[0] ?? 0) | 0 : 0,
  };
}

/**
 * Whether `address` is in the rule's prefix: IPv4 by the signed words, one AND and compare,
 * which is the compare most rules of a kube-proxy chain make; IPv6 (and a family mismatch,
 * which never matches) through cidrContains.
 */
function inPrefix(m: CompiledAddressMatch, v4: boolean, address4: number, address: Address) {
  if (v4 && m.cidr.family === 'ipv4') return (address4 & m.mask4) === m.network4;
  return cidrContains(m.cidr, address);
}

function ifaceHits(want: CompiledIface, name: string | undefined): boolean {
  const actual = name ?? '';
  const hit = want.prefix ? actual.startsWith(want.name) : actual === want.name;
  return hit !== want.negated;
}

const bang = (negated: boolean) => (negated ? '! ' : '');

/*
 * A miss reason is the rule's own head (`! -d 10.96.0.0/12: destination is `), made once per
 * rule and kept on the compiled rule, and the packet's value: one concatenation per miss. Most
 * rules of a kube-proxy chain miss on -d, once per packet. The head quotes the condition as
 * iptables-save writes it (rules/save.ts): `! ` when negated, an address with its /prefix (or
 * /mask), so that it reads as the rule's own text.
 */

/** `given`: the rule's own -s or -d, of which m is the compiled form. */
function addressHead(
  m: CompiledAddressMatch,
  given: CompiledRule['rule']['source'],
  flag: '-s' | '-d',
): string {
  let head = m.missHead;
  if (head === undefined) {
    const what = flag === '-s' ? 'source' : 'destination';
    head = `${bang(m.negated)}${flag} ${given ? cidrText(given.value) : ''}: ${what} is `;
    m.missHead = head;
  }
  return head;
}

function ifaceHead(m: CompiledIface, text: string | undefined, flag: '-i' | '-o'): string {
  let head = m.missHead;
  if (head === undefined) {
    head = `${bang(m.negated)}${flag} ${text}: ${flag === '-i' ? 'in' : 'out'} interface is `;
    m.missHead = head;
  }
  return head;
}

/** The shared PassedRule of `rule` missing on `field`, made on first use (compile.ts). */
function passOf(
  rule: CompiledRule,
  slot: number,
  field: HeaderField | undefined,
  head: () => string,
): PassedRule {
  rule.passes ??= [];
  const passes = rule.passes;
  let pass = passes[slot];
  if (pass === undefined) {
    pass =
      field === undefined
        ? { ruleId: rule.rule.id, why: head() }
        : { ruleId: rule.rule.id, why: head(), field };
    passes[slot] = pass;
  }
  return pass;
}

/**
 * Why the rule's IP header part misses the packet, as the rule's shared PassedRule: nothing is
 * made on the hot path, a span only keeps a reference. Undefined when the header matches.
 */
export function headerMiss(
  rule: CompiledRule,
  packet: Packet,
  addresses: PacketAddresses = addressesOf(packet),
): PassedRule | undefined {
  const p = rule.protocol;
  if (p && p.number !== 0 && (p.number === packet.protocolNumber) === p.negated)
    return passOf(rule, 0, 'protocol', () => `${bang(p.negated)}-p ${p.name}: the packet is `);
  const s = rule.source;
  if (s && inPrefix(s, addresses.v4, addresses.src4, addresses.src) === s.negated)
    return passOf(rule, 1, 'src', () => addressHead(s, rule.rule.source, '-s'));
  const d = rule.destination;
  if (d && inPrefix(d, addresses.v4, addresses.dst4, addresses.dst) === d.negated)
    return passOf(rule, 2, 'dst', () => addressHead(d, rule.rule.destination, '-d'));
  const i = rule.inInterface;
  if (i && !ifaceHits(i, packet.inInterface))
    return passOf(rule, 3, 'in', () => ifaceHead(i, rule.rule.inInterface?.value, '-i'));
  const o = rule.outInterface;
  if (o && !ifaceHits(o, packet.outInterface))
    return passOf(rule, 4, 'out', () => ifaceHead(o, rule.rule.outInterface?.value, '-o'));
  const f = rule.fragment;
  if (f && packet.fragment === f.negated)
    // The rule misses one kind of packet only: its sentence is whole.
    return passOf(
      rule,
      5,
      undefined,
      () =>
        `${bang(f.negated)}-f: ${packet.fragment ? 'a later fragment' : 'not a later fragment'}`,
    );
  return undefined;
}

/** headerMiss in words: why the rule's IP header part misses the packet, or undefined. */
export function basicMiss(
  rule: CompiledRule,
  packet: Packet,
  addresses: PacketAddresses = addressesOf(packet),
): string | undefined {
  const pass = headerMiss(rule, packet, addresses);
  return pass && passedMiss(pass, packet).why;
}
