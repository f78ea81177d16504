/**
 * Which rules a hook can reach, and by which jumps: what the rules mean for a proxy depends on
 * where they sit (a REDIRECT reached from nat PREROUTING captures inbound connections, one reached
 * from nat OUTPUT the app's own), and on what the jumps on the way ask (an owner match on the
 * way means "only the proxy's connections").
 */
import type { Chain, Rule, Ruleset, TableName } from '../../model/index.js';
import { findChain, findTable } from '../../model/index.js';
import { ruleSpecText } from '../../rules/save.js';

/** A rule where it stands: table, chain, number (1-based), and the jumps that lead to it. */
export interface RuleSite {
  readonly table: TableName;
  readonly chain: string;
  readonly number: number;
  readonly rule: Rule;
  /** The jump rules from the built-in chain down to this rule's chain, outermost first. */
  readonly via: readonly Rule[];
}

/** `FILE:LINE: nat ISTIO_OUTPUT 6: -p tcp -j REDIRECT --to-ports 15001`, how people find it. */
export function siteText(site: RuleSite): string {
  const o = site.rule.origin;
  return `${o.file}:${o.line}: ${site.table} ${site.chain} ${site.number}: ${ruleSpecText(site.rule)}`;
}

function walk(
  table: TableName,
  chains: ReadonlyMap<string, Chain>,
  chain: Chain,
  via: readonly Rule[],
  seen: ReadonlySet<string>,
  out: RuleSite[],
): void {
  chain.rules.forEach((rule, i) => {
    out.push({ table, chain: chain.name, number: i + 1, rule, via });
    const target = rule.target;
    if (target?.kind !== 'jump' && target?.kind !== 'goto') return;
    const next = chains.get(target.name);
    if (!next || seen.has(next.name)) return;
    walk(table, chains, next, [...via, rule], new Set([...seen, next.name]), out);
  });
}

/** Walks made, per ruleset: inference and the misfit checks ask for the same ones again. */
const walks = new WeakMap<Ruleset, Map<string, readonly RuleSite[]>>();

/** Every rule reachable from a built-in chain of a table, in the order a packet meets them. */
export function reachable(
  ruleset: Ruleset,
  table: TableName,
  builtin: string,
): readonly RuleSite[] {
  const made = walks.get(ruleset) ?? new Map<string, readonly RuleSite[]>();
  walks.set(ruleset, made);
  const key = `${table} ${builtin}`;
  const known = made.get(key);
  if (known) return known;
  const t = findTable(ruleset, table);
  const start = t && findChain(t, builtin);
  const out: RuleSite[] = [];
  if (t && start) {
    // By name: a kube-proxy table has 60,000 chains and as many jumps, and a search of the list
    // at each jump kept `nfdb --rules` on such a dump busy for minutes before its first frame.
    const chains = new Map<string, Chain>();
    for (const c of t.chains) if (!chains.has(c.name)) chains.set(c.name, c);
    walk(table, chains, start, [], new Set([builtin]), out);
  }
  made.set(key, out);
  return out;
}

/** The rule and every jump on its way. */
export function pathOf(site: RuleSite): readonly Rule[] {
  return [...site.via, site.rule];
}

/** A match option of a rule's path (`owner` `uid-owner`), with its module and the rule. */
export function optionsOf(rules: readonly Rule[], module: string, option: string) {
  return rules.flatMap((rule) =>
    rule.matches
      .filter((m) => m.module === module)
      .flatMap((m) => m.options.filter((o) => o.name === option).map((o) => ({ rule, o }))),
  );
}

/** A target option's first value (`to-ports` of REDIRECT), if the rule has that target. */
export function targetOption(rule: Rule, target: string, option: string): string | undefined {
  if (rule.target?.kind !== 'extension' || rule.target.name !== target) return undefined;
  return rule.target.options.find((o) => o.name === option)?.values[0];
}

/** A rule that ends the nat walk without translating: RETURN or ACCEPT lets a connection out. */
export function exits(rule: Rule): boolean {
  return (
    rule.target?.kind === 'verdict' &&
    (rule.target.name === 'RETURN' || rule.target.name === 'ACCEPT')
  );
}
