/**
 * The nftables model: what an `nft` script, `nft list ruleset` or `nft -j list ruleset` means.
 *
 * nftables is not iptables with other words: tables are named by whoever writes them and live in
 * a family (`ip`, `ip6`, `inet` for both); a base chain is hooked by its own declaration (`type
 * nat hook output priority -100`), so any number of them share a hook beside iptables' tables;
 * a rule is a list of expressions and statements run left to right, and sets and maps are
 * first-class (kube-proxy's `service-ips` verdict map is one lookup, not a scan).
 *
 * Right-hand values are kept as text with their position: what they mean depends on the
 * expression on the left (`80` is a port after `tcp dport`, a mark after `meta mark`), and the
 * engine types them when it compiles the rule. Every value here is plain, immutable data.
 */
import type { Hook } from './packet.js';
import type { Counters, SourcePos } from './ruleset.js';

/** The nftables families nfdb simulates (`arp`, `bridge` and `netdev` are read, not run). */
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

/** `type filter|nat|route`: a nat chain sees a connection's first packet only. */
export type NftChainType = 'filter' | 'nat' | 'route';

/** What a base chain's declaration says. */
export interface NftBase {
  readonly type: NftChainType;
  readonly hook: Hook;
  /** The number, named priorities resolved (`dstnat` is -100, `srcnat` 100). */
  readonly priority: number;
  /** The priority as written, for listing (`dstnat`, `-100`, `mangle - 5`). */
  readonly priorityText: string;
  readonly policy: 'accept' | 'drop';
  /** `policy` was said, so a listing shows it as given. */
  readonly policyGiven?: true;
}

/** An immediate value as written (`10.0.0.0/8`, `tcp`, `0x4000`, `lo`), typed by the engine. */
export interface NftValue {
  readonly text: string;
  readonly pos: SourcePos;
}

/** A verdict: the words that end or divert a chain. */
export type NftVerdict =
  | { readonly kind: 'accept' | 'drop' | 'return' | 'continue' | 'queue' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string; readonly pos: SourcePos };

/** One element of a set or map: a key (several parts for a concatenation) and a map's data. */
export interface NftElement {
  /** Each part a value, a prefix `10.0.0.0/8` or a range `1000-2000`. */
  readonly key: readonly NftValue[];
  /** A verdict map's verdict. */
  readonly verdict?: NftVerdict;
  /** A data map's value. */
  readonly data?: NftValue;
  readonly comment?: string;
  readonly pos: SourcePos;
}

/** Expressions: what a rule reads from the packet, its connection, its socket or the kernel. */
export type NftExpr =
  /** A header field: `ip saddr`, `ip6 daddr`, `tcp dport`, `th dport` (any transport). */
  | { readonly kind: 'payload'; readonly protocol: string; readonly field: string }
  /** `meta l4proto`, `iifname`, `skuid`, `mark`... (`meta` may be left out for most keys). */
  | { readonly kind: 'meta'; readonly key: string }
  /** `ct state`, `ct mark`, `ct zone`, `ct original ip daddr`... */
  | { readonly kind: 'ct'; readonly key: string; readonly direction?: 'original' | 'reply' }
  /** `fib saddr type`, `fib daddr . iif type`. */
  | { readonly kind: 'fib'; readonly flags: readonly string[]; readonly result: string }
  /** `numgen random mod 2 [offset N]`. */
  | {
      readonly kind: 'numgen';
      readonly mode: 'random' | 'inc';
      readonly modulus: number;
      readonly offset: number;
    }
  /** `a . b . c`: a set or map key of several fields. */
  | { readonly kind: 'concat'; readonly parts: readonly NftExpr[] }
  /** `mark and 0xff`, `ct mark & 0xfffff000 | 0x111`: left op value. */
  | {
      readonly kind: 'binop';
      readonly op: 'and' | 'or' | 'xor' | 'lshift' | 'rshift';
      readonly left: NftExpr;
      readonly right: NftValue;
    };

/** The right side of a relation or a lookup. */
export type NftRhs =
  | { readonly kind: 'value'; readonly value: NftValue }
  /** `established,related`: a flag list (or a list of values, for `!=` on an anonymous set). */
  | { readonly kind: 'list'; readonly values: readonly NftValue[] }
  /** `{ 53, 15008 }` or `{ 0 : goto a, 1 : goto b }`. */
  | { readonly kind: 'anonymous'; readonly elements: readonly NftElement[] }
  /** `@service-ips`. */
  | { readonly kind: 'named'; readonly name: string; readonly pos: SourcePos };

export type NftOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

/** A statement of a rule, in the order written: nft runs them left to right. */
export type NftStatement = (
  | {
      readonly kind: 'match';
      readonly left: NftExpr;
      /** Absent: the implicit relation (equality, membership or, for flags, any bit set). */
      readonly op?: NftOp;
      readonly right: NftRhs;
    }
  | { readonly kind: 'counter'; readonly counters?: Counters }
  | { readonly kind: 'verdict'; readonly verdict: NftVerdict }
  /** `KEY vmap @map` / `KEY vmap { … }`. */
  | { readonly kind: 'vmap'; readonly key: NftExpr; readonly map: NftRhs }
  /** `meta mark set EXPR`, `ct mark set EXPR`, `ct zone set N`: EXPR is a value or binop. */
  | {
      readonly kind: 'set';
      readonly target: NftExpr;
      readonly value: NftExpr | NftValue;
    }
  /** `dnat to A:P`, `snat to A`, `redirect to :P`, `masquerade [fully-random]`. */
  | {
      readonly kind: 'nat';
      readonly type: 'dnat' | 'snat' | 'redirect' | 'masquerade';
      readonly family?: 'ip' | 'ip6';
      readonly address?: NftValue;
      readonly port?: number;
      readonly flags: readonly string[];
    }
  /** `tproxy ip to :15006`. */
  | {
      readonly kind: 'tproxy';
      readonly family?: 'ip' | 'ip6';
      readonly address?: NftValue;
      readonly port: number;
    }
  /** `reject [with icmp type X | tcp reset]`: `with` as the kernel names it. */
  | { readonly kind: 'reject'; readonly with?: string }
  /** `update @set { ip saddr [timeout 3h] }`, `add @set { … }`, `delete @set { … }`. */
  | {
      readonly kind: 'setop';
      readonly op: 'add' | 'update' | 'delete';
      readonly set: string;
      readonly key: NftExpr;
      readonly timeout?: number;
    }
  | { readonly kind: 'log'; readonly prefix?: string }
  | { readonly kind: 'notrack' }
  /** A statement nfdb reads but does not simulate: kept as text, the rule stops there. */
  | { readonly kind: 'unsupported'; readonly text: string; readonly why: string }
) & { readonly pos: SourcePos };

export interface NftRule {
  /** Stable, as Rule.id: survives edits elsewhere in the chain. */
  readonly id: string;
  /** The kernel's handle when the text gave one (`# handle 7`, JSON). */
  readonly handle?: number;
  readonly statements: readonly NftStatement[];
  readonly comment?: string;
  /** The rule as written, after the chain name. */
  readonly text: string;
  readonly origin: SourcePos;
}

export interface NftChain {
  readonly name: string;
  readonly base?: NftBase;
  readonly rules: readonly NftRule[];
  readonly handle?: number;
  readonly comment?: string;
  readonly origin: SourcePos;
}

export interface NftSet {
  readonly name: string;
  /** A map has data (`: verdict`, `: ipv4_addr`); a set has none. */
  readonly kind: 'set' | 'map';
  /** The key's types, one per concatenated part: `ipv4_addr . inet_proto . inet_service`. */
  readonly keyType: readonly string[];
  readonly dataType?: string;
  readonly flags: readonly string[];
  /** Seconds; elements added by the data path expire after it. */
  readonly timeout?: number;
  readonly elements: readonly NftElement[];
  readonly comment?: string;
  readonly origin: SourcePos;
}

export interface NftTable {
  readonly family: NftFamily;
  readonly name: string;
  readonly chains: readonly NftChain[];
  readonly sets: readonly NftSet[];
  readonly handle?: number;
  readonly comment?: string;
  readonly origin: SourcePos;
}

/** Every nft table of a host, in the order they were created (which orders equal priorities). */
export interface NftRuleset {
  readonly tables: readonly NftTable[];
}

/** Named chain priorities (`nft` accepts them for ip, ip6 and inet). */
export const NFT_PRIORITIES: Readonly<Record<string, number>> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};
