/**
 * A ruleset made ready for the rule scan: addresses parsed to integers, interface wildcards
 * split, modules looked up once. Hand-written rather than generic because the scan runs every
 * rule of a 50,000-rule kube-proxy chain for one packet; compiling happens once per Ruleset
 * (cached by identity, since Rulesets are immutable).
 */

import type {
  Chain,
  Cidr,
  Family,
  Frame,
  Hook,
  Negatable,
  PassedRule,
  Rule,
  Ruleset,
  RuleVerdict,
  Table,
  TableName,
  TableRef,
} from '../../model/index.js';
import { chainNamed, chainPositions } from '../../model/index.js';
import { protocolNumber } from '../../rules/listing.js';
import { type CompiledCidr, compileCidr } from '../address.js';
import { findMatch, findTarget } from '../registry.js';
import type { MatchModule, TargetModule } from '../vocabulary.js';

/*
 * `missHead` fields: the packet-independent head of a miss reason (`! -d 10.96.0.1: destination
 * is `), made by basic-match.ts on the first miss and kept, so that the misses of a long chain
 * cost one string concatenation each. Like the rest of the compiled rule, they depend on the
 * rule alone.
 */

export interface CompiledIface {
  readonly name: string;
  /** `eth+` matches every name that starts with `eth`. */
  readonly prefix: boolean;
  readonly negated: boolean;
  missHead: string | undefined;
}

export interface CompiledProtocol {
  readonly number: number;
  readonly negated: boolean;
  readonly name: string;
  missHead: string | undefined;
}

export interface CompiledMatch {
  readonly name: string;
  readonly module?: MatchModule;
  readonly data: unknown;
}

export interface CompiledAddressMatch {
  readonly cidr: CompiledCidr;
  readonly negated: boolean;
  /**
   * An IPv4 prefix as signed 32-bit integers (both 0 for IPv6): the scan compares these
   * (basic-match.ts), since the cidr's words are unsigned and a /32 mask is no small integer.
   */
  readonly network4: number;
  readonly mask4: number;
  missHead: string | undefined;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly index: number;
  readonly protocol?: CompiledProtocol;
  readonly source?: CompiledAddressMatch;
  readonly destination?: CompiledAddressMatch;
  readonly inInterface?: CompiledIface;
  readonly outInterface?: CompiledIface;
  readonly fragment?: { readonly negated: boolean };
  readonly matches: readonly CompiledMatch[];
  readonly targetModule?: TargetModule;
  /**
   * What the rule says when it matches, for every target but a module's (whose verdict depends
   * on its effect): made once, shared by every step.
   */
  readonly verdict: RuleVerdict | undefined;
  /** The chain a `-j CHAIN` or `-g CHAIN` goes to, resolved when compiled (link()). */
  jump: CompiledChain | undefined;
  /**
   * The trace's call stack at this rule below a given stack of outer frames (walk.ts): the same
   * arrays for every step at this rule on the same path, as the path does not depend on the
   * packet. One entry; a rule reached on another path replaces it.
   */
  stackCache: { readonly outer: readonly Frame[]; readonly stack: readonly Frame[] } | undefined;
  /**
   * The rule's misses on its IP header part, one per field (basic-match.ts), made on first use:
   * every span that passes the rule on that field refers to the same one.
   */
  passes: PassedRule[] | undefined;
}

/**
 * A chain whose rules are compiled when a packet first enters it: a kube-proxy node has 60,000
 * chains and a packet enters a handful, so compiling all 170,000 rules up front cost simulate()
 * most of a second before the first packet. Jumps are linked to their chains as the rules are
 * compiled, so the scan still never looks a chain up by name.
 */
export class CompiledChain {
  private compiled: readonly CompiledRule[] | undefined;

  constructor(
    readonly chain: Chain,
    private readonly ruleset: Ruleset,
    private readonly chains: CompiledChains,
  ) {}

  get rules(): readonly CompiledRule[] {
    if (this.compiled === undefined) this.compiled = this.compile();
    return this.compiled;
  }

  private compile(): readonly CompiledRule[] {
    const rules = this.chain.rules.map((r, i) => compileRule(r, i, this.ruleset));
    for (const rule of rules) {
      const t = rule.rule.target;
      if (t?.kind === 'jump' || t?.kind === 'goto') rule.jump = this.chains.get(t.name);
    }
    return rules;
  }
}

/** A table's chains by name, each made on first use; the name index too. */
export class CompiledChains {
  private readonly made = new Map<string, CompiledChain>();
  private byName: Map<string, Chain> | undefined;

  constructor(
    private readonly table: Table,
    private readonly ruleset: Ruleset,
  ) {}

  get size(): number {
    return this.table.chains.length;
  }

  get(name: string): CompiledChain | undefined {
    const hit = this.made.get(name);
    if (hit) return hit;
    const chain = this.chainOf(name);
    return chain && this.of(chain);
  }

  /**
   * Through the model's index of the table, which the load-time checks built: a 200,000-chain
   * table is not indexed again for the first packet. A name declared twice (hand-built tables
   * only) is its last chain, as the kernel's checks see it.
   */
  private chainOf(name: string): Chain | undefined {
    const chains = this.table.chains;
    if (chainPositions(chains).size === chains.length) return chainNamed(chains, name);
    this.byName ??= new Map(chains.map((c) => [c.name, c]));
    return this.byName.get(name);
  }

  /** The compiled form of one of the table's own chains. */
  of(chain: Chain): CompiledChain {
    let compiled = this.made.get(chain.name);
    if (!compiled) {
      compiled = new CompiledChain(chain, this.ruleset, this);
      this.made.set(chain.name, compiled);
    }
    return compiled;
  }
}

export interface CompiledTable {
  readonly table: Table;
  readonly ref: TableRef;
  readonly chains: CompiledChains;
  /** The built-in chain a hook enters, if the table has one for it (and it is not `absent`). */
  readonly entry: Partial<Record<Hook, CompiledChain>>;
}

export interface CompiledRuleset {
  readonly ruleset: Ruleset;
  readonly tables: ReadonlyMap<TableName, CompiledTable>;
}

function iface(given: Negatable<string> | undefined): CompiledIface | undefined {
  if (!given) return undefined;
  const prefix = given.value.endsWith('+');
  return {
    name: prefix ? given.value.slice(0, -1) : given.value,
    prefix,
    negated: given.negated,
    missHead: undefined,
  };
}

function addressMatch(given: Negatable<Cidr>, family: Family): CompiledAddressMatch {
  const cidr = compileCidr(given.value, family);
  const v4 = cidr.family === 'ipv4';
  return {
    cidr,
    negated: given.negated,
    network4: v4 ? (cidr.network[0] ?? 0) | 0 : 0,
    mask4: v4 ? (cidr.mask[0] ?? 0) | 0 : 0,
    missHead: undefined,
  };
}

function compileRule(rule: Rule, index: number, ruleset: Ruleset): CompiledRule {
  const family = ruleset.family;
  const p = rule.protocol;
  return {
    rule,
    index,
    protocol: p && {
      number: protocolNumber(p.value),
      negated: p.negated,
      name: p.value,
      missHead: undefined,
    },
    source: rule.source && addressMatch(rule.source, family),
    destination: rule.destination && addressMatch(rule.destination, family),
    inInterface: iface(rule.inInterface),
    outInterface: iface(rule.outInterface),
    fragment: rule.fragment && { negated: rule.fragment.negated },
    matches: rule.matches.map((m) => ({
      name: m.module,
      module: m.simulated ? findMatch(m.module) : undefined,
      data: m.data,
    })),
    targetModule:
      rule.target?.kind === 'extension' && rule.target.simulated
        ? findTarget(rule.target.name)
        : undefined,
    verdict: verdictOf(rule),
    jump: undefined,
    stackCache: undefined,
    passes: undefined,
  };
}

const BUILTIN: Readonly<Record<string, RuleVerdict>> = {
  ACCEPT: { kind: 'accept' },
  DROP: { kind: 'drop' },
  RETURN: { kind: 'return' },
  QUEUE: { kind: 'queue' },
};
const CONTINUE: RuleVerdict = { kind: 'continue' };

function verdictOf(rule: Rule): RuleVerdict | undefined {
  const t = rule.target;
  if (!t) return CONTINUE;
  if (t.kind === 'jump' || t.kind === 'goto') return { kind: t.kind, chain: t.name };
  if (t.kind === 'verdict') return BUILTIN[t.name];
  return t.simulated ? undefined : { kind: 'target', name: t.name, simulated: false };
}

function compileTable(table: Table, ruleset: Ruleset): CompiledTable {
  const chains = new CompiledChains(table, ruleset);
  const entry: Partial<Record<Hook, CompiledChain>> = {};
  for (const chain of table.chains) {
    // A built-in chain iptables-nft never made is not in the kernel: no hook enters it.
    if (chain.builtin && !chain.absent) entry[chain.name as Hook] = chains.of(chain);
  }
  return { table, ref: { family: ruleset.family, name: table.name }, chains, entry };
}

/**
 * Compiles rulesets once each, by identity (Rulesets are immutable): a simulation, or a UI that
 * simulates again after an edit, keeps one and pays only for the rulesets that changed.
 */
export class RulesetCompiler {
  private readonly cache = new WeakMap<Ruleset, CompiledRuleset>();

  compile(ruleset: Ruleset): CompiledRuleset {
    const hit = this.cache.get(ruleset);
    if (hit) return hit;
    const compiled = compileRuleset(ruleset);
    this.cache.set(ruleset, compiled);
    return compiled;
  }
}

export function compileRuleset(ruleset: Ruleset): CompiledRuleset {
  const tables = new Map<TableName, CompiledTable>();
  for (const table of ruleset.tables) tables.set(table.name, compileTable(table, ruleset));
  return { ruleset, tables };
}
