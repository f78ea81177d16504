/**
 * The ruleset model: what a user's iptables text means, independent of the format it came in.
 *
 * Tables hold chains, chains hold rules, exactly as the kernel's xtables do; a Ruleset is one
 * address family's tables (iptables and ip6tables are separate worlds in the kernel too).
 * Every value here is plain data and treated as immutable: edits build new values.
 */

import type { NftRuleset } from './nft.js';

export type Family = 'ipv4' | 'ipv6';

/** The xtables tables nfdb knows. `security` is loaded and listed but only partly simulated. */
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';
export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter', 'security'];

/** Where a piece of text came from, for errors and for the UI's "jump to source". 1-based. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Packet and byte counters, as `iptables -L -v` and `iptables-save -c` show them. */
export interface Counters {
  readonly packets: number;
  readonly bytes: number;
  /**
   * The counts as decimal text, when one is above 2^53 and the numbers are rounded: the kernel's
   * counters are 64-bit. Read and print counts through model/counters.ts.
   */
  readonly exact?: { readonly packets: string; readonly bytes: string };
}

export const ZERO_COUNTERS: Counters = { packets: 0, bytes: 0 };

/** A value with the `!` that inverts it. */
export interface Negatable<T> {
  readonly value: T;
  readonly negated: boolean;
}

/**
 * An address with its prefix length, as iptables stores it (address already masked, so
 * `10.1.2.3/8` is kept as `10.0.0.0/8` — iptables-save prints it that way too).
 * Non-contiguous masks (`/255.0.255.0`) are kept as `mask` text; `prefix` is then -1.
 */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly mask?: string;
}

/**
 * One `--option value...` of a match or target, as written (after canonical spelling of the
 * option name without dashes, e.g. `dport` for `--dport`/`--destination-port`).
 * `negated` is set for both `! --opt v` and the old `--opt ! v`.
 */
export interface ModuleOption {
  readonly name: string;
  readonly values: readonly string[];
  readonly negated: boolean;
  readonly pos?: SourcePos;
}

/**
 * A `-m NAME` match in a rule. `data` is what the module's parser made of the options (its own
 * type, see source/netfilter/vocabulary.ts); `implicit` marks the tcp/udp/icmp match iptables
 * loads by itself for `-p tcp --dport 80`. A module nfdb does not know keeps its raw options and
 * `simulated: false`: it is loaded, listed and saved, never guessed.
 */
export interface MatchUse {
  readonly module: string;
  readonly options: readonly ModuleOption[];
  readonly data: unknown;
  readonly implicit: boolean;
  readonly simulated: boolean;
  readonly pos?: SourcePos;
}

/**
 * What a rule does when it matches.
 * - `verdict`: ACCEPT, DROP, RETURN, QUEUE (built into the kernel, no options).
 * - `jump` / `goto`: to the user chain `name` (`-j CHAIN` / `-g CHAIN`).
 * - `extension`: a target module such as REDIRECT or MARK, with its parsed `data`.
 */
export interface TargetUse {
  readonly kind: 'verdict' | 'jump' | 'goto' | 'extension';
  readonly name: string;
  readonly options: readonly ModuleOption[];
  readonly data: unknown;
  readonly simulated: boolean;
  readonly pos?: SourcePos;
}

/**
 * One rule. `id` is stable: it is given when the rule is created and survives inserts and
 * deletes elsewhere in its chain, so a what-if edit and the trace can refer to "this rule".
 * `target` is absent for a rule without `-j` (it only counts), as kube-proxy writes some.
 */
export interface Rule {
  readonly id: string;
  readonly protocol?: Negatable<string>;
  readonly source?: Negatable<Cidr>;
  readonly destination?: Negatable<Cidr>;
  readonly inInterface?: Negatable<string>;
  readonly outInterface?: Negatable<string>;
  /** `-f`: only second and later fragments. */
  readonly fragment?: Negatable<true>;
  readonly matches: readonly MatchUse[];
  readonly target?: TargetUse;
  /**
   * Where the target is on the origin's line, when the target has no position of its own: a
   * loaded rule keeps a number here rather than a position object in its target (see targetPos).
   */
  readonly targetColumn?: number;
  readonly counters: Counters;
  readonly origin: SourcePos;
}

/** Where a rule's target is written: its own position, its column on the rule's line, or the rule's. */
export function targetPos(rule: Rule): SourcePos {
  const t = rule.target;
  if (t?.pos) return t.pos;
  const column = rule.targetColumn;
  if (t === undefined || column === undefined) return rule.origin;
  return { file: rule.origin.file, line: rule.origin.line, column };
}

/**
 * Built-in chains have a policy and policy counters; user chains have neither. Under iptables-nft
 * a built-in chain is made in the kernel only when a command names it, so it may be listed (as
 * iptables-nft-save lists every built-in chain) without existing, or exist without a policy
 * counter (see Backend).
 */
export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  readonly policy?: 'ACCEPT' | 'DROP';
  readonly counters: Counters;
  readonly rules: readonly Rule[];
  readonly origin: SourcePos;
  /**
   * A built-in chain no command named (iptables-nft): the kernel has no such chain, so no hook
   * runs it; iptables-nft-save still prints it as `:NAME ACCEPT [0:0]`.
   */
  readonly absent?: true;
  /**
   * A built-in chain made by `-A`/`-I`/`-F` rather than declared (`-P`, `:NAME POLICY [p:b]`)
   * under iptables-nft: its base chain has no counter, so its policy counts nothing.
   */
  readonly uncounted?: true;
}

export interface Table {
  readonly name: TableName;
  /** In the order iptables-save prints them: built-in chains first, then user chains. */
  readonly chains: readonly Chain[];
  readonly origin: SourcePos;
}

/**
 * Which iptables wrote the rules into the kernel. `legacy` (x_tables): a table has every built-in
 * chain, each with its policy counter. `nft` (iptables-nft, what `iptables` is on current
 * distributions): a built-in chain exists only once a command names it, and counts its policy
 * only when it was declared with a policy (`-P`, or `:NAME POLICY [p:b]` in restore input).
 */
export type Backend = 'legacy' | 'nft';
export const BACKENDS: readonly Backend[] = ['nft', 'legacy'];

export interface Ruleset {
  readonly family: Family;
  readonly tables: readonly Table[];
  /** The backend the rules were loaded as; absent in rulesets built by hand (legacy). */
  readonly backend?: Backend;
}

/** Built-in chains of each table, in the kernel's (and iptables-save's) order. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** A finding about the input: errors stop a load, warnings and notes do not. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
  readonly pos: SourcePos;
}

export type InputFormat =
  | 'iptables-save'
  | 'iptables-S'
  | 'commands'
  | 'istio-golden'
  | 'listing'
  | 'nft'
  | 'nft-json';

/** What a parser returns: one ruleset per family present, and everything it noticed. */
export interface ParseResult {
  readonly format: InputFormat;
  readonly rulesets: readonly Ruleset[];
  /** The nftables tables of an nft script, listing or JSON (see model/nft.ts). */
  readonly nft?: NftRuleset;
  readonly diagnostics: readonly Diagnostic[];
}

export function findTable(ruleset: Ruleset, name: TableName): Table | undefined {
  return ruleset.tables.find((t) => t.name === name);
}

export function findChain(table: Table, name: string): Chain | undefined {
  return table.chains.find((c) => c.name === name);
}
