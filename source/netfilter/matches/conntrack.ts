/** `-m conntrack`: the connection's state, original/reply tuples, status, direction (xt_conntrack.c). */

import type { ConntrackView, Family } from '../../model/index.js';
import { protocolByName } from '../../model/index.js';
import type { CompiledCidr } from '../address.js';
import { cidrContains, cidrText, parseAddress, parseRuleCidr } from '../address.js';
import { type PortRange, parseWrappedPortRange } from '../extension.js';
import { negation, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  enumList,
  type Given,
  MATCH,
  noMatch,
  type Options,
  type ValueReader,
} from '../simple-module.js';
import type { MatchResult } from '../vocabulary.js';

/** The order libxt_conntrack prints states in. */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const CT_STATUS = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

export function stateReader(allowed: readonly string[]): ValueReader<string[]> {
  const read = enumList(allowed, `a comma list of ${allowed.join(', ')}`);
  return (values, family) => {
    const result = read(values, family);
    if (typeof result === 'string') return result;
    const ordered = allowed.filter((s) => result.value.includes(s));
    return { value: ordered, text: ordered.join(',') };
  };
}

/**
 * libxt_conntrack reads an IPv4 prefix length as any u32 and takes one past 32 as a single host
 * (`10.0.0.1/33` is saved as `10.0.0.1`); IPv6 lengths stay 0-128.
 */
function hostPrefix(text: string, family: Family): string {
  const m = family === 'ipv4' ? /^([^/]*)\/(\d{2,10})$/.exec(text) : null;
  const length = Number(m?.[2]);
  return m && length > 32 && length <= 0xffffffff ? `${m[1]}/32` : text;
}

const cidrReader: ValueReader<CompiledCidr> = (values, family: Family) => {
  const parsed = parseRuleCidr(hostPrefix(values[0] ?? '', family), family);
  if (!parsed.ok) return parsed.expected;
  // libxt_conntrack prints the mask only when it is not a single host.
  const full = parsed.cidr.prefix === (family === 'ipv4' ? 32 : 128);
  return { value: parsed.compiled, text: full ? parsed.cidr.address : cidrText(parsed.cidr) };
};

const portReader: ValueReader<PortRange> = (values) => {
  const range = parseWrappedPortRange(values[0] ?? '');
  if (!range) return 'a port 0-65535 or FROM:TO';
  return {
    value: range,
    text: range.from === range.to ? `${range.from}` : `${range.from}:${range.to}`,
  };
};

/** Seconds left, `N` or `MIN:MAX`, each 0-4294967295 (a backward range loads, as in the kernel). */
const expire: ValueReader<string> = (values) => {
  const raw = values[0] ?? '';
  const parts = raw.split(':');
  const fits = (t: string) => /^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff;
  return parts.length <= 2 && parts.every(fits)
    ? { value: raw, text: raw }
    : 'seconds 0-4294967295, or MIN:MAX';
};

const protoReader: ValueReader<number> = (values) => {
  const raw = (values[0] ?? '').toLowerCase();
  const value = protocolByName(raw)?.number ?? (/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  return value >= 0 && value <= 255 ? { value, text: String(value) } : 'a protocol name or number';
};

const dirReader: ValueReader<string> = (values) => {
  const raw = (values[0] ?? '').toUpperCase();
  return raw === 'ORIGINAL' || raw === 'REPLY' ? { value: raw, text: raw } : 'ORIGINAL or REPLY';
};

function statesOf(ct: ConntrackView | undefined): string[] {
  if (!ct) return ['INVALID'];
  const states: string[] = [ct.state];
  if (ct.state === 'UNTRACKED' || ct.state === 'INVALID') return states;
  if (ct.status.includes('SNAT')) states.push('SNAT');
  if (ct.status.includes('DNAT')) states.push('DNAT');
  return states;
}

function check(given: Given | undefined, hit: boolean, why: string): MatchResult | undefined {
  if (!given || hit !== given.negated) return undefined;
  return noMatch(why);
}

const LIST_NAMES: readonly (readonly [string, string])[] = [
  ['ctstate', 'ctstate'],
  ['ctproto', 'ctproto'],
  ['ctorigsrc', 'ctorigsrc'],
  ['ctorigdst', 'ctorigdst'],
  ['ctreplsrc', 'ctreplsrc'],
  ['ctrepldst', 'ctrepldst'],
  ['ctorigsrcport', 'ctorigsrcport'],
  ['ctorigdstport', 'ctorigdstport'],
  ['ctreplsrcport', 'ctreplsrcport'],
  ['ctrepldstport', 'ctrepldstport'],
  ['ctstatus', 'ctstatus'],
  ['ctexpire', 'ctexpire'],
  ['ctdir', 'ctdir'],
];

export function listConntrack(o: Options): string {
  return LIST_NAMES.filter(([name]) => o[name])
    .map(([name, label]) => `${o[name]?.negated ? '! ' : ''}${label} ${o[name]?.text}`)
    .join(' ');
}

function tupleChecks(o: Options, ct: ConntrackView): MatchResult | undefined {
  const addr = (text: string) => parseAddress(text) ?? { family: 'ipv4' as const, words: [] };
  const inCidr = (name: string, address: string) =>
    check(
      o[name],
      o[name] !== undefined && cidrContains(o[name]?.value as CompiledCidr, addr(address)),
      `${name} ${address}`,
    );
  const inPorts = (name: string, port: number) => {
    const r = o[name]?.value as PortRange | undefined;
    return check(o[name], r !== undefined && port >= r.from && port <= r.to, `${name} ${port}`);
  };
  return (
    inCidr('ctorigsrc', ct.original.src) ??
    inCidr('ctorigdst', ct.original.dst) ??
    inCidr('ctreplsrc', ct.reply.src) ??
    inCidr('ctrepldst', ct.reply.dst) ??
    inPorts('ctorigsrcport', ct.original.sport) ??
    inPorts('ctorigdstport', ct.original.dport) ??
    inPorts('ctreplsrcport', ct.reply.sport) ??
    inPorts('ctrepldstport', ct.reply.dport)
  );
}

export const conntrack = defineMatch({
  name: 'conntrack',
  options: {
    ctstate: { arity: 1, read: stateReader(CT_STATES), negatable: true },
    ctproto: { arity: 1, read: protoReader, negatable: true },
    ctorigsrc: { arity: 1, read: cidrReader, negatable: true },
    ctorigdst: { arity: 1, read: cidrReader, negatable: true },
    ctreplsrc: { arity: 1, read: cidrReader, negatable: true },
    ctrepldst: { arity: 1, read: cidrReader, negatable: true },
    ctorigsrcport: { arity: 1, read: portReader, negatable: true },
    ctorigdstport: { arity: 1, read: portReader, negatable: true },
    ctreplsrcport: { arity: 1, read: portReader, negatable: true },
    ctrepldstport: { arity: 1, read: portReader, negatable: true },
    ctstatus: { arity: 1, read: stateReader(CT_STATUS), negatable: true },
    ctexpire: { arity: 1, read: expire, negatable: true },
    ctdir: { arity: 1, read: dirReader },
  },
  list: listConntrack,
  // One phrase per option, in the order listConntrack prints them: its rank is its place.
  listing: LIST_NAMES.map(([name, label], rank) =>
    phrase(
      String.raw`(! +)?${label} +(\S+)`,
      (m) => [...negation(m[1]), `--${name}`, val(m[2] ?? '')],
      rank,
    ),
  ),
  examples: [
    '--ctstate RELATED,ESTABLISHED',
    '! --ctstate INVALID --ctorigdst 10.96.0.10 --ctdir ORIGINAL',
  ],
  match(o, packet, ctx) {
    // xt_conntrack: an untracked or invalid packet has no conntrack entry (nf_ct_get is NULL).
    const view = ctx.conntrack;
    const ct = view && view.state !== 'UNTRACKED' && view.state !== 'INVALID' ? view : undefined;
    const states = statesOf(view);
    const wanted = o.ctstate?.value;
    const stateMiss = check(
      o.ctstate,
      wanted !== undefined && states.some((s) => wanted.includes(s)),
      `conntrack state is ${states.join(',')}`,
    );
    if (stateMiss) return stateMiss;
    // Without an entry the kernel stops here: `return info->match_flags & XT_CONNTRACK_STATE`,
    // so a rule with --ctstate matches on the state alone, any other rule does not match.
    if (!ct) return o.ctstate ? MATCH : noMatch('no conntrack entry');
    const dir = o.ctdir
      ? check(o.ctdir, ct.direction.toUpperCase() === o.ctdir.value, `direction ${ct.direction}`)
      : undefined;
    // --ctproto is the connection's protocol (an ICMP error RELATED to a TCP connection is tcp).
    const ctProtocol = protocolByName(ct.original.protocol)?.number ?? packet.protocolNumber;
    const proto = check(o.ctproto, ctProtocol === o.ctproto?.value, `protocol ${ctProtocol}`);
    const statusWanted = o.ctstatus?.value;
    const status = check(
      o.ctstatus,
      statusWanted?.some((s) => ct.status.includes(s)) === true,
      `status ${ct.status.join(',')}`,
    );
    const miss = dir ?? tupleChecks(o, ct) ?? proto ?? status;
    if (miss) return miss;
    if (o.ctexpire) return { kind: 'unknown', why: 'nfdb does not model conntrack timeouts' };
    return MATCH;
  },
});
