/**
 * nft's registers, for one packet: what an expression loads (nft_payload, nft_meta, nft_ct,
 * nft_fib, nft_numgen, nft_bitwise) and how a loaded value compares with a written one. A value
 * is a number, an address or a name; `undefined` is NFT_BREAK: the expression had nothing to
 * load (`ip saddr` of an IPv6 packet, `skuid` of a packet without a socket), and the rule
 * stops there without matching, whatever its operator.
 */
import type { AddressType, ConntrackView, Packet, SocketView } from '../../../model/index.js';
import type { NftExpr } from '../../../model/nft.js';
import {
  CT_STATE_BITS,
  CT_STATUS_BITS,
  type NftDatum,
  type NftType,
} from '../../../rules/nft/types.js';
import {
  type Address,
  type CompiledCidr,
  cidrContains,
  compareAddress,
  formatAddress,
  parseAddress,
  parseCidr,
} from '../../address.js';

export type NftRuntimeValue = number | string | Address;

/** What an expression reads a packet with. */
export interface NftEvalContext {
  readonly packet: Packet;
  readonly conntrack: ConntrackView | undefined;
  readonly socket: SocketView | undefined;
  addressType(address: string): readonly AddressType[];
  random(): number;
  nextInc(id: string, modulus: number): number;
  readonly ruleId: string;
}

const TRANSPORT = new Set(['tcp', 'udp', 'sctp', 'udplite', 'dccp']);

function addressOf(text: string): Address | undefined {
  return parseAddress(text);
}

function payload(protocol: string, field: string, p: Packet): NftRuntimeValue | undefined {
  if (protocol === 'ip' || protocol === 'ip6') {
    if (p.family !== (protocol === 'ip' ? 'ipv4' : 'ipv6')) return undefined;
    if (field === 'saddr') return addressOf(p.src);
    if (field === 'daddr') return addressOf(p.dst);
    return p.protocolNumber;
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    if (p.protocol !== (protocol === 'icmp' ? 'icmp' : 'icmpv6')) return undefined;
    return field === 'type' ? p.icmpType : p.icmpCode;
  }
  const fits = protocol === 'th' ? TRANSPORT.has(p.protocol) : p.protocol === protocol;
  if (!fits || p.fragment) return undefined;
  return field === 'sport' ? p.sport : p.dport;
}

function meta(key: string, ctx: NftEvalContext): NftRuntimeValue | undefined {
  const p = ctx.packet;
  switch (key) {
    case 'l4proto':
      return p.protocolNumber;
    case 'nfproto':
      return p.family === 'ipv4' ? 2 : 10;
    case 'mark':
      return p.mark;
    case 'iifname':
      return p.inInterface ?? '';
    case 'oifname':
      return p.outInterface ?? '';
    case 'iif':
      return p.inInterface;
    case 'oif':
      return p.outInterface;
    case 'skuid':
      return ctx.socket?.uid;
    case 'skgid':
      return ctx.socket?.gid;
    case 'length':
      return p.length;
  }
  return undefined;
}

const STATE_BIT: Readonly<Record<string, number>> = {
  NEW: CT_STATE_BITS.new as number,
  ESTABLISHED: CT_STATE_BITS.established as number,
  RELATED: CT_STATE_BITS.related as number,
  INVALID: CT_STATE_BITS.invalid as number,
  UNTRACKED: CT_STATE_BITS.untracked as number,
};

function ct(
  expr: Extract<NftExpr, { kind: 'ct' }>,
  ctx: NftEvalContext,
): NftRuntimeValue | undefined {
  const view = ctx.conntrack;
  // nft_ct_get_eval: a packet without an entry is in state invalid (untracked if so marked).
  if (expr.key === 'state') return view ? STATE_BIT[view.state] : STATE_BIT.INVALID;
  if (!view || view.state === 'UNTRACKED') return undefined;
  const tuple = expr.direction === 'reply' ? view.reply : view.original;
  switch (expr.key) {
    case 'mark':
      return view.mark;
    case 'zone':
      return view.zone;
    case 'direction':
      return view.direction === 'original' ? 0 : 1;
    case 'status':
      return view.status.reduce(
        (bits, s) => bits | (CT_STATUS_BITS[s.toLowerCase().replace('_', '-')] ?? 0),
        0,
      );
    case 'ip saddr':
    case 'ip6 saddr':
    case 'saddr':
      return addressOf(tuple.src);
    case 'ip daddr':
    case 'ip6 daddr':
    case 'daddr':
      return addressOf(tuple.dst);
    case 'proto-src':
      return tuple.sport;
    case 'proto-dst':
      return tuple.dport;
  }
  return undefined;
}

function binop(op: string, left: number, right: number): number {
  switch (op) {
    case 'and':
      return (left & right) >>> 0;
    case 'or':
      return (left | right) >>> 0;
    case 'xor':
      return (left ^ right) >>> 0;
    case 'lshift':
      return (left << right) >>> 0;
    default:
      return left >>> right;
  }
}

/** Loads an expression; an array for a concatenation. */
export function evaluate(
  expr: NftExpr,
  ctx: NftEvalContext,
): NftRuntimeValue | NftRuntimeValue[] | undefined {
  switch (expr.kind) {
    case 'payload':
      return payload(expr.protocol, expr.field, ctx.packet);
    case 'meta':
      return meta(expr.key, ctx);
    case 'ct':
      return ct(expr, ctx);
    case 'fib': {
      const address = expr.flags[0] === 'saddr' ? ctx.packet.src : ctx.packet.dst;
      return (ctx.addressType(address)[0] ?? 'UNICAST').toLowerCase();
    }
    case 'numgen':
      return (
        (expr.mode === 'random'
          ? Math.floor(ctx.random() * expr.modulus)
          : ctx.nextInc(ctx.ruleId, expr.modulus)) + expr.offset
      );
    case 'binop': {
      const left = evaluate(expr.left, ctx);
      if (typeof left !== 'number') return undefined;
      return binop(expr.op, left, Number(expr.right.text));
    }
    case 'concat': {
      const out: NftRuntimeValue[] = [];
      for (const p of expr.parts) {
        const v = evaluate(p, ctx);
        if (v === undefined || Array.isArray(v)) return undefined;
        out.push(v);
      }
      return out;
    }
  }
}

/** A written value ready to compare: a number range, a prefix, an address range, a name. */
export type ValueTest =
  | { readonly kind: 'number'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'cidr'; readonly cidr: CompiledCidr }
  | { readonly kind: 'range'; readonly lo: Address; readonly hi: Address }
  | { readonly kind: 'name'; readonly text: string; readonly wildcard: boolean };

export function valueTest(datum: NftDatum): ValueTest | undefined {
  switch (datum.kind) {
    case 'number':
      return datum;
    case 'name':
      return datum;
    case 'symbolic':
      return undefined;
    case 'address': {
      const dash = datum.text.indexOf('-');
      if (dash > 0) {
        const lo = parseAddress(datum.text.slice(0, dash));
        const hi = parseAddress(datum.text.slice(dash + 1));
        return lo && hi ? { kind: 'range', lo, hi } : undefined;
      }
      const c = parseCidr(datum.text, datum.family);
      return c.ok ? { kind: 'cidr', cidr: c.compiled } : undefined;
    }
  }
}

export function passes(test: ValueTest, v: NftRuntimeValue): boolean {
  switch (test.kind) {
    case 'number':
      return typeof v === 'number' && v >= test.lo && v <= test.hi;
    case 'name':
      return typeof v === 'string' && (test.wildcard ? v.startsWith(test.text) : v === test.text);
    case 'cidr':
      return typeof v === 'object' && cidrContains(test.cidr, v);
    case 'range':
      return (
        typeof v === 'object' &&
        v.family === test.lo.family &&
        compareAddress(v, test.lo) >= 0 &&
        compareAddress(v, test.hi) <= 0
      );
  }
}

/** The exact key of a value (a lookup in a set's index), as its canonical text. */
export function keyText(v: NftRuntimeValue): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return formatAddress(v);
}

/** The exact key a written value stands for, when it is one value (not a prefix or range). */
export function exactKey(test: ValueTest): string | undefined {
  switch (test.kind) {
    case 'number':
      return test.lo === test.hi ? String(test.lo) : undefined;
    case 'name':
      return test.wildcard ? undefined : test.text;
    case 'cidr': {
      const full = test.cidr.mask.every((m) => m === 0xffffffff);
      return full
        ? formatAddress({ family: test.cidr.family, words: test.cidr.network })
        : undefined;
    }
    case 'range':
      return undefined;
  }
}

/** A loaded value as the trace's words show it. */
export function shown(v: NftRuntimeValue | NftRuntimeValue[] | undefined, type?: NftType): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.map((p) => shown(p)).join(' . ');
  if (typeof v === 'number' && (type === 'mark' || type === 'ct_state'))
    return `0x${v.toString(16)}`;
  return keyText(v);
}
