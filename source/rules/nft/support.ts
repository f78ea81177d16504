/**
 * What the engine decides of nft's expressions, in one place: `nfdb check` lists the rest per
 * rule, and the engine stops at them (or takes them as the setting says) rather than guess.
 */
import type { NftExpr } from '../../model/nft.js';

const PAYLOAD: Readonly<Record<string, readonly string[]>> = {
  ip: ['saddr', 'daddr', 'protocol'],
  ip6: ['saddr', 'daddr', 'nexthdr'],
  tcp: ['sport', 'dport'],
  udp: ['sport', 'dport'],
  udplite: ['sport', 'dport'],
  sctp: ['sport', 'dport'],
  dccp: ['sport', 'dport'],
  th: ['sport', 'dport'],
  icmp: ['type', 'code'],
  icmpv6: ['type', 'code'],
};

const META = new Set([
  'l4proto',
  'nfproto',
  'mark',
  'iifname',
  'oifname',
  'iif',
  'oif',
  'skuid',
  'skgid',
  'length',
]);

const CT = new Set([
  'state',
  'status',
  'mark',
  'zone',
  'direction',
  'ip saddr',
  'ip daddr',
  'ip6 saddr',
  'ip6 daddr',
  'proto-src',
  'proto-dst',
]);

/** Why nfdb cannot decide an expression from a scenario; undefined when it can. */
export function unsupportedWhy(expr: NftExpr): string | undefined {
  switch (expr.kind) {
    case 'payload':
      return PAYLOAD[expr.protocol]?.includes(expr.field)
        ? undefined
        : `the ${expr.protocol} ${expr.field} header field is not simulated`;
    case 'meta':
      return META.has(expr.key) ? undefined : `meta ${expr.key} is not simulated`;
    case 'ct':
      return CT.has(expr.key) ? undefined : `ct ${expr.key} is not simulated`;
    case 'fib':
      return expr.result === 'type' && expr.flags.length === 1
        ? undefined
        : `fib ${expr.flags.join(' . ')} ${expr.result} is not simulated`;
    case 'numgen':
      return undefined;
    case 'binop':
      return unsupportedWhy(expr.left);
    case 'concat':
      for (const p of expr.parts) {
        const why = unsupportedWhy(p);
        if (why) return why;
      }
      return undefined;
  }
}
