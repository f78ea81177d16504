/**
 * A ruleset made ready for the rule scan: addresses parsed to integers, interface wildcards
 * split, modules looked up once. Hand-written rather than generic because the scan runs every
 * rule of a 50,000-rule kube-proxy chain for one packet; compiling happens once per Ruleset
 * (cached by identity, since Rulesets are immutable).
 */
import { protocolNumber } from '../../rules/listing.js';
import type { Chain, Negatable, Rule, Ruleset, Table, TableName } from '../../rules/model.js';
import { type CompiledCidr, compileCidr } from '../address.js';
import { findMatch, findTarget } from '../registry.js';
import type { MatchModule, TargetModule } from '../vocabulary.js';

export interface CompiledIface {
  readonly name: string;
  /** `eth+` matches every name that starts with `eth`. */
  readonly prefix: boolean;
  readonly negated: boolean;
}

export interface CompiledMatch {
  readonly name: string;
  readonly module?: MatchModule;
  readonly data: unknown;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly index: number;
  readonly protocol?: { readonly number: number; readonly negated: boolean; readonly name: string };
  readonly source?: { readonly cidr: CompiledCidr; readonly negated: boolean };
  readonly destination?: { readonly cidr: CompiledCidr; readonly negated: boolean };
  readonly inInterface?: CompiledIface;
  readonly outInterface?: CompiledIface;
  readonly fragment?: { readonly negated: boolean };
  readonly matches: readonly CompiledMatch[];
  readonly targetModule?: TargetModule;
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
  };
}

function compileRule(rule: Rule, index: number, ruleset: Ruleset): CompiledRule {
  const family = ruleset.family;
  const p = rule.protocol;
  return {
    rule,
    index,
    protocol: p && { number: protocolNumber(p.value), negated: p.negated, name: p.value },
    source: rule.source && {
      cidr: compileCidr(rule.source.value, family),
      negated: rule.source.negated,
    },
    destination: rule.destination && {
      cidr: compileCidr(rule.destination.value, family),
      negated: rule.destination.negated,
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
