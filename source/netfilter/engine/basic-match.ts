/**
 * The IP header part of a rule (`-p -s -d -i -o -f`), as ip_packet_match() checks it before
 * any `-m` module runs. Returns why the rule missed, or undefined when the header matches.
 * Hot path: plain comparisons, no allocation on a match.
 */
import { type Address, cidrContains, formatAddress, parseAddress } from '../address.js';
import type { Packet } from '../vocabulary.js';
import type { CompiledIface, CompiledRule } from './compile.js';

const addressCache = new Map<string, Address>();

/** Packets reuse a handful of addresses; parsing each once keeps the scan integer-only. */
export function addressOf(text: string): Address {
  let a = addressCache.get(text);
  if (!a) {
    a = parseAddress(text);
    if (!a) throw new Error(`not an address: ${text}`);
    if (addressCache.size > 10_000) addressCache.clear();
    addressCache.set(text, a);
  }
  return a;
}

function ifaceHits(want: CompiledIface, name: string | undefined): boolean {
  const actual = name ?? '';
  const hit = want.prefix ? actual.startsWith(want.name) : actual === want.name;
  return hit !== want.negated;
}

const bang = (negated: boolean) => (negated ? '! ' : '');

export function basicMiss(rule: CompiledRule, packet: Packet): string | undefined {
  const p = rule.protocol;
  if (p && p.number !== 0 && (p.number === packet.protocolNumber) === p.negated) {
    return `${bang(p.negated)}-p ${p.name}: the packet is ${packet.protocol}`;
  }
  const s = rule.source;
  if (s && cidrContains(s.cidr, addressOf(packet.src)) === s.negated) {
    return `${bang(s.negated)}-s ${formatAddress({ family: s.cidr.family, words: s.cidr.network })}: source is ${packet.src}`;
  }
  const d = rule.destination;
  if (d && cidrContains(d.cidr, addressOf(packet.dst)) === d.negated) {
    return `${bang(d.negated)}-d ${formatAddress({ family: d.cidr.family, words: d.cidr.network })}: destination is ${packet.dst}`;
  }
  if (rule.inInterface && !ifaceHits(rule.inInterface, packet.inInterface)) {
    return `-i ${rule.rule.inInterface?.value}: in interface is ${packet.inInterface ?? 'none'}`;
  }
  if (rule.outInterface && !ifaceHits(rule.outInterface, packet.outInterface)) {
    return `-o ${rule.rule.outInterface?.value}: out interface is ${packet.outInterface ?? 'none'}`;
  }
  if (rule.fragment && packet.fragment === rule.fragment.negated) {
    return `${bang(rule.fragment.negated)}-f: ${packet.fragment ? 'a later fragment' : 'not a later fragment'}`;
  }
  return undefined;
}
