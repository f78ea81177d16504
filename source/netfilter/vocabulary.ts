/**
 * The vocabulary of the xtables extensions: the Match and Target interfaces every extension
 * module implements (one module per file in matches/ and targets/, registered in registry.ts —
 * the way the kernel's xtables and gVisor's netstack do it), and what a module may look at.
 * Packets, hooks and conntrack are in the model floor (source/model/packet.ts).
 */
import type {
  AddressType,
  Backend,
  ConntrackView,
  Family,
  Hook,
  MatchUse,
  ModuleOption,
  Packet,
  SocketView,
  TableName,
  TargetEffect,
} from '../model/index.js';
import type { IpSet } from './ipset.js';
import type { ListingPhrase } from './listing-phrase.js';

/** Everything a match may look at besides the packet. */
export interface MatchContext {
  readonly hook: Hook;
  readonly table: string;
  readonly conntrack?: ConntrackView;
  /** Present only for locally generated packets (OUTPUT, POSTROUTING). */
  readonly socket?: SocketView;
  /** addrtype: what kind of address this is on this host (LOCAL, UNICAST, BROADCAST...). */
  addressType(address: string, limitIface?: string): readonly AddressType[];
  /** The socket a packet would be delivered to, for `-m socket`. */
  findSocket(packet: Packet): SocketView | undefined;
  /** Seeded randomness for `-m statistic --mode random`: the same seed, the same trace. */
  random(): number;
  /** nth counter for `-m statistic --mode nth`: one per rule, kept by the engine. */
  nextNth(ruleId: string, every: number, start: number): number;
  /** `-m set`: the host's ipset of this name, undefined when the scenario does not give it. */
  ipset(name: string): IpSet | undefined;
}

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
  /** The rule's matches, for a target's check (the kernel hands it the entry: xt_tgchk_param). */
  readonly matches?: readonly MatchUse[];
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
  /**
   * Set when `check` reads only the placement's protocol, which is the rule's own `-p`: the
   * rule reader then decides it from the line, and a use that passes keeps no position.
   */
  readonly checksProtocolOnly?: true;
  /**
   * A check one iptables backend makes and the other does not (TRACE outside raw loads with
   * iptables-nft only): run for both, so nfdb refuses under the one and warns under the other.
   */
  checkBackend?(data: D, where: Placement, backend: Backend): string | undefined;
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
  /** The ipsets a use reads by name (`-m set --match-set NAME`): `nfdb check` lists them. */
  sets?(data: D): readonly string[];
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

export interface TargetModule<D = unknown> extends ExtensionText<D> {
  readonly kind: 'target';
  act(data: D, packet: Packet, ctx: TargetContext): TargetEffect;
}

export type ExtensionModule = MatchModule | TargetModule;
