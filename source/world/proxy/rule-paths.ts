/**
 * Which rules a hook can reach, and by which jumps: what the rules mean for a proxy depends on
 * where they sit (a REDIRECT reached from nat PREROUTING captures inbound connections, one reached
 * from nat OUTPUT the app's own), and on what the jumps on the way ask (an owner match on the
 * way means "only the proxy's connections").
 */
import type { Chain, Rule, Ruleset, TableName } from '../../model/index.js';
import { chainNamed, chainPositions, findTable } from '../../model/index.js';
import { ruleSpecText } from '../../rules/save.js';
import { type JumpGraph, jumpGraph } from '../../rules/validate.js';

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

/** The jumps that led to a chain, innermost last: a list shared by every rule below it. */
interface Jumps {
  readonly rule: Rule;
  readonly up: Jumps | undefined;
}

function viaOf(jumps: Jumps | undefined): Rule[] {
  const out: Rule[] = [];
  for (let j = jumps; j; j = j.up) out.push(j.rule);
  return out.reverse();
}

/**
 * What a proxy's inference and the misfit checks read of a walk: REDIRECT and TPROXY (where
 * connections go), RETURN and ACCEPT (what is let out), and mark matches (a jump may ask for
 * the proxy's mark). The rest, such as kube-proxy's 60,000 jumps and DNATs, is walked through
 * and not kept: keeping a site for each made the proxy's fit the UI's slowest step at 10k services.
 */
function matters(rule: Rule): boolean {
  const target = rule.target;
  if (target?.kind === 'extension' && (target.name === 'REDIRECT' || target.name === 'TPROXY'))
    return true;
  return exits(rule) || rule.matches.some((m) => m.module === 'mark');
}

/**
 * Whether a chain, or any chain it jumps to, holds a rule that matters, per chain name: a walk
 * goes only where something is kept, so kube-proxy's 60,000 chains are read once per table
 * instead of once per built-in chain. A chain met again on its own path (a loop, which the
 * kernel refuses) counts as mattering: walked into, the walk's own guard ends it.
 *
 * The rules are read once in the table's order for what matters, and the jumps are the ones the
 * load's checks found (jumpGraph), between chain positions: a walk along the jumps read the rules
 * scattered in memory and looked each jump up by name, 120 ms of the UI's first frame at 10k
 * services.
 */
function worthWalking(
  list: readonly Chain[],
  index: ReadonlyMap<string, number>,
  graph: JumpGraph | undefined,
): (name: string) => boolean {
  const n = list.length;
  const direct = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const rules = (list[c] as Chain).rules;
    for (let r = 0; r < rules.length && direct[c] === 0; r++)
      if (matters(rules[r] as Rule)) direct[c] = 1;
  }
  const { edgeStart, edgeTarget } = graph ?? jumpsOf(list, index);
  const UNKNOWN = 0;
  const ON_PATH = 1;
  const NO = 2;
  const YES = 3;
  const state = new Uint8Array(n);
  const worth = (c: number): boolean => {
    const was = state[c] as number;
    if (was !== UNKNOWN) return was !== NO;
    state[c] = ON_PATH;
    let found = direct[c] === 1;
    const end = edgeStart[c + 1] as number;
    for (let e = edgeStart[c] as number; e < end && !found; e++) {
      const next = edgeTarget[e] as number;
      found = next >= 0 && worth(next);
    }
    state[c] = found ? YES : NO;
    return found;
  };
  return (name) => {
    const c = index.get(name);
    return c !== undefined && worth(c);
  };
}

/** The jumps between chain positions, for a table whose names the load's graph does not index. */
function jumpsOf(list: readonly Chain[], index: ReadonlyMap<string, number>): JumpGraph {
  const edgeStart = new Int32Array(list.length + 1);
  const targets: number[] = [];
  for (let c = 0; c < list.length; c++) {
    edgeStart[c] = targets.length;
    for (const rule of (list[c] as Chain).rules) {
      const target = rule.target;
      if (target?.kind === 'jump' || target?.kind === 'goto')
        targets.push(index.get(target.name) ?? -1);
    }
  }
  edgeStart[list.length] = targets.length;
  return { edgeStart, edgeTarget: Int32Array.from(targets) };
}

interface Table {
  readonly name: TableName;
  /** The table's chains (found by name with chainNamed, the first of a name). */
  readonly list: readonly Chain[];
  readonly worth: (name: string) => boolean;
}

function walk(
  table: Table,
  chain: Chain,
  jumps: Jumps | undefined,
  onPath: Set<string>,
  out: RuleSite[],
): void {
  const rules = chain.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as Rule;
    if (matters(rule))
      out.push({ table: table.name, chain: chain.name, number: i + 1, rule, via: viaOf(jumps) });
    const target = rule.target;
    if (target?.kind !== 'jump' && target?.kind !== 'goto') continue;
    const next = chainNamed(table.list, target.name);
    if (!next || onPath.has(next.name) || !table.worth(next.name)) continue;
    onPath.add(next.name);
    walk(table, next, { rule, up: jumps }, onPath, out);
    onPath.delete(next.name);
  }
}

/** Walks made, per ruleset: inference and the misfit checks ask for the same ones again. */
const walks = new WeakMap<Ruleset, Map<string, readonly RuleSite[]>>();
/** A table's chains by name and what is worth walking, for each of its built-in chains. */
const tables = new WeakMap<Ruleset, Map<TableName, Table>>();

function tableOf(ruleset: Ruleset, name: TableName): Table | undefined {
  const made = tables.get(ruleset) ?? new Map<TableName, Table>();
  tables.set(ruleset, made);
  const known = made.get(name);
  if (known) return known;
  const t = findTable(ruleset, name);
  if (!t) return undefined;
  // By name: a kube-proxy table has 60,000 chains and as many jumps, and a search of the list
  // at each jump kept `nfdb --rules` on such a dump busy for minutes before its first frame.
  const list = t.chains;
  const index = chainPositions(list);
  const table = { name, list, worth: worthWalking(list, index, jumpGraph(t)) };
  made.set(name, table);
  return table;
}

/**
 * The rules reachable from a built-in chain of a table that a proxy's inference reads (see
 * `matters`), in the order a packet meets them.
 */
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
  const t = tableOf(ruleset, table);
  const start = t && chainNamed(t.list, builtin);
  const out: RuleSite[] = [];
  if (t && start) walk(t, start, undefined, new Set([builtin]), out);
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
