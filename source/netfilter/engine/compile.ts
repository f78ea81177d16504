/**
 * A ruleset made ready for the rule scan: addresses parsed to integers, interface wildcards
 * split, modules looked up once. Hand-written rather than generic because the scan runs every
 * rule of a 50,000-rule kube-proxy chain for one packet; compiling happens once per Ruleset
 * (cached by identity, since Rulesets are immutable).
 */

import type {
  Chain,
  Frame,
  Negatable,
  Rule,
  Ruleset,
  Table,
  TableName,
} from '../../model/index.js';
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
  /** `rule 7 does not match: `, made on the rule's first miss (walk.ts). */
  missExplain: string | undefined;
  /**
   * The trace's call stack at this rule below a given stack of outer frames (walk.ts): the same
   * arrays for every step at this rule on the same path, as the path does not depend on the
   * packet. One entry; a rule reached on another path replaces it.
   */
  stackCache: { readonly outer: readonly Frame[]; readonly stack: readonly Frame[] } | undefined;
}

export interface CompiledChain {
  readonly chain: Chain;
  readonly rules: readonly CompiledRule[];
}

export interface CompiledTable {
  readonly table: Table;
  readonly chains: ReadonlyMap<string, CompiledChain>;
}

export interface CompiledRuleset {
  readonly ruleset: Ruleset;
  readonly tables: ReadonlyMap<TableName, CompiledTable>;
}

const cache = new WeakMap<Ruleset, CompiledRuleset>();

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
    source: rule.source && {
      cidr: compileCidr(rule.source.value, family),
      negated: rule.source.negated,
      missHead: undefined,
    },
    destination: rule.destination && {
      cidr: compileCidr(rule.destination.value, family),
      negated: rule.destination.negated,
      missHead: undefined,
    },
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
    missExplain: undefined,
    stackCache: undefined,
  };
}

export function compileRuleset(ruleset: Ruleset): CompiledRuleset {
  const hit = cache.get(ruleset);
  if (hit) return hit;
  const tables = new Map<TableName, CompiledTable>();
  for (const table of ruleset.tables) {
    const chains = new Map<string, CompiledChain>();
    for (const chain of table.chains) {
      chains.set(chain.name, {
        chain,
        rules: chain.rules.map((r, i) => compileRule(r, i, ruleset)),
      });
    }
    tables.set(table.name, { table, chains });
  }
  const compiled = { ruleset, tables };
  cache.set(ruleset, compiled);
  return compiled;
}
