/**
 * The vocabulary of the engine: hooks, verdicts, packets, and the Match and Target interfaces
 * every xtables extension module implements (one module per file in matches/ and targets/,
 * registered in registry.ts — the way the kernel's xtables and gVisor's netstack do it).
 *
 * The five hooks, as a packet meets them:
 *
 *   wire ─► PREROUTING ─► routing ─┬─► INPUT ─► local socket
 *                                  └─► FORWARD ─┐
 *   local socket ─► routing ─► OUTPUT ─► (reroute) ─┴─► POSTROUTING ─► wire (or lo)
 */
import type { Family, ModuleOption, SourcePos, TableName } from '../rules/model.js';
import type { ListingPhrase } from './listing-phrase.js';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/**
 * Tables in the order the kernel calls them inside each hook, by their registered priorities
 * (raw -300, conntrack -200, mangle -150, nat DNAT -100, filter 0, security 50, nat SNAT 100).
 * `conntrack` marks where nf_conntrack_in runs (after raw, before mangle).
 */
export const HOOK_ORDER: Readonly<Record<Hook, readonly (TableName | 'conntrack' | 'confirm')[]>> =
  {
    PREROUTING: ['raw', 'conntrack', 'mangle', 'nat'],
    INPUT: ['mangle', 'filter', 'security', 'nat', 'confirm'],
    FORWARD: ['mangle', 'filter', 'security'],
    OUTPUT: ['raw', 'conntrack', 'mangle', 'nat', 'filter', 'security'],
    POSTROUTING: ['mangle', 'nat', 'confirm'],
  };

/** The final word of a table on a packet. */
export type Verdict = 'ACCEPT' | 'DROP' | 'QUEUE' | 'STOLEN';

export type L4Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'other';

export interface TcpFlags {
  readonly syn: boolean;
  readonly ack: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly urg: boolean;
}

/**
 * A packet as netfilter sees it at one point. Immutable: a target that changes it (NAT, MARK)
 * returns a new one, so the trace can keep every version.
 */
export interface Packet {
  readonly family: Family;
  readonly protocol: L4Protocol;
  /** IP protocol number, for `-p 47` and for protocols nfdb does not name. */
  readonly protocolNumber: number;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly tcpFlags?: TcpFlags;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** An ICMP error's quoted packet, as its tuple: conntrack finds the connection by it. */
  readonly embedded?: Tuple;
  /** Total length of the IP packet in bytes, what counters add up. */
  readonly length: number;
  readonly ttl: number;
  /** skb->mark. */
  readonly mark: number;
  readonly inInterface?: string;
  readonly outInterface?: string;
  readonly fragment: boolean;
  readonly pktType: 'unicast' | 'broadcast' | 'multicast';
}

export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

/** One direction of a connection: what nf_conntrack_tuple holds. */
export interface Tuple {
  readonly protocol: L4Protocol;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

/** A conntrack entry as the engine exposes it to matches (read-only view). */
export interface ConntrackView {
  readonly id: string;
  readonly state: ConntrackState;
  /** Which way this packet goes relative to the entry. */
  readonly direction: 'original' | 'reply';
  readonly original: Tuple;
  readonly reply: Tuple;
  readonly mark: number;
  readonly zone: number;
  /** SEEN_REPLY, ASSURED, CONFIRMED, SNAT, DNAT... as conntrack -L prints them. */
  readonly status: readonly string[];
}

/** The socket a locally generated packet belongs to (owner match looks here). */
export interface SocketView {
  readonly uid: number;
  readonly gid: number;
  readonly supplementaryGids: readonly number[];
  readonly transparent: boolean;
  /** `-m socket` without --nowildcard ignores sockets bound to 0.0.0.0. */
  readonly wildcard: boolean;
}

/** Everything a match may look at besides the packet. */
export interface MatchContext {
  readonly hook: Hook;
  readonly table: TableName;
  readonly conntrack?: ConntrackView;
  /** Present only for locally generated packets (OUTPUT, POSTROUTING). */
  readonly socket?: SocketView;
  /** addrtype: what kind of address this is on this host (LOCAL, UNICAST, BROADCAST...). */
  addressType(address: string, limitIface?: string): readonly AddressType[];
  /** The socket a packet would be delivered to, for `-m socket`. */
  findSocket(packet: Packet, options: { nowildcard: boolean }): SocketView | undefined;
  /** Seeded randomness for `-m statistic --mode random`: the same seed, the same trace. */
  random(): number;
  /** nth counter for `-m statistic --mode nth`: one per rule, kept by the engine. */
  nextNth(ruleId: string, every: number, start: number): number;
}

export type AddressType =
  | 'UNSPEC'
  | 'UNICAST'
  | 'LOCAL'
  | 'BROADCAST'
  | 'ANYCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'THROW'
  | 'NAT'
  | 'XRESOLVE';

/**
 * A match's answer. `assumed` is a match nfdb cannot decide from the scenario (limit, hashlimit
 * rates) and takes as matching; the trace shows the `note`. `unknown` stops the trace there.
 */
export type MatchResult =
  | { readonly kind: 'match' }
  | { readonly kind: 'no-match'; readonly why: string }
  | { readonly kind: 'assumed'; readonly matched: boolean; readonly note: string }
  | { readonly kind: 'unknown'; readonly why: string };

/** Where a module may be used, as the kernel's checkentry decides at load time. */
export interface Placement {
  readonly family: Family;
  readonly table: TableName;
  /** Hooks from which this chain can be reached (a user chain may be reached from several). */
  readonly hooks: readonly Hook[];
  /** The chain's protocol restriction (`-p tcp`) for modules that need one. */
  readonly protocol?: string;
  readonly protocolNegated: boolean;
}

export interface ModuleError {
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  /** Which option of the list was wrong, for the error's column. */
  readonly optionIndex?: number;
}

export type Parsed<D> =
  | { readonly ok: true; readonly data: D }
  | ({ readonly ok: false } & ModuleError);

/** Shared by match and target modules: reading, checking and writing their options. */
export interface ExtensionText<D> {
  readonly name: string;
  /** Option names (without dashes) this module takes, with their aliases mapped to one name. */
  readonly options: Readonly<
    Record<string, { readonly canonical: string; readonly arity: number }>
  >;
  /** Set when nfdb never decides this module from the scenario: why (`nfdb check` lists it). */
  readonly unsimulated?: string;
  /** Set when nfdb takes the module as matching without deciding it (limit): why. */
  readonly assumed?: string;
  parse(options: readonly ModuleOption[], family: Family): Parsed<D>;
  /** The kernel's load-time check; undefined when allowed, else the reason. */
  check?(data: D, where: Placement): string | undefined;
  /** Options as iptables-save prints them (after `-m name ` / `-j NAME `). */
  save(data: D): string;
  /** The trailing text of an `iptables -L -v -n` line for this module. */
  list(data: D): string;
  /**
   * What `list` prints, read back into options: tried in order at the listing reader's
   * position (longer phrases before the ones they start with). A target's phrase must end its
   * line. A module with none (`[]`) loads from a listing as text, unsimulated.
   */
  readonly listing: readonly ListingPhrase[];
  /**
   * Option text as `save` prints it, which `parse` then `save` give back unchanged, and whose
   * `list` text the `listing` phrases read back: the registry test round-trips every one.
   */
  readonly examples: readonly string[];
  /**
   * Values kept as written that nfdb cannot resolve from the ruleset (a user name, an ipset
   * name): `nfdb check` lists each as a limitation of the rule.
   */
  symbolic?(data: D, options: readonly ModuleOption[]): readonly SymbolicValue[];
  /**
   * Whether each option of a use keeps where it was written (else equal options are shared):
   * for modules whose symbolic values point at the option that holds them.
   */
  readonly keepsOptionPositions?: boolean;
}

/** A value nfdb keeps by name and cannot decide a packet by. */
export interface SymbolicValue {
  /** The option as written, `--uid-owner istio-proxy`. */
  readonly what: string;
  readonly why: string;
  /** Its index in the use's options, when it is one option's value. */
  readonly option?: number;
}

export interface MatchModule<D = unknown> extends ExtensionText<D> {
  readonly kind: 'match';
  match(data: D, packet: Packet, ctx: MatchContext): MatchResult;
}

/** Context a target acts in. */
export interface TargetContext extends MatchContext {
  readonly ruleId: string;
  /** The primary address of the incoming interface, for REDIRECT in PREROUTING. */
  primaryAddress(iface: string): string | undefined;
}

/** What a target does to a packet and its connection. */
export interface TargetEffect {
  /** CONTINUE: go on to the next rule (MARK, LOG...). */
  readonly verdict: Verdict | 'CONTINUE' | 'RETURN';
  readonly packet?: Packet;
  readonly conntrack?: {
    readonly mark?: number;
    readonly zone?: number;
    readonly untracked?: boolean;
    /** NAT binding decided on the first packet: rewrite of the original tuple's dst or src. */
    readonly nat?: {
      readonly kind: 'dnat' | 'snat';
      readonly address?: string;
      readonly port?: number;
      /** MASQUERADE: the outgoing interface's address, filled by the engine. */
      readonly masquerade?: boolean;
    };
  };
  /** TPROXY: deliver to this local socket address without rewriting the packet. */
  readonly tproxy?: { readonly address: string; readonly port: number };
  /** REJECT: the packet nfdb sends back (TCP RST or ICMP error). */
  readonly reject?: { readonly with: string };
  /** A line for the trace (LOG prefix, "CHECKSUM is a no-op here"). */
  readonly note?: string;
}

export interface TargetModule<D = unknown> extends ExtensionText<D> {
  readonly kind: 'target';
  act(data: D, packet: Packet, ctx: TargetContext): TargetEffect;
}

export type ExtensionModule = MatchModule | TargetModule;

export type { SourcePos };
