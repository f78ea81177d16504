/**
 * What `nfdb check` reports about a loaded file: its tables with chain and rule counts, the
 * modules and targets it uses, and every rule nfdb cannot decide by itself. Pure: it reads the
 * parse result and returns plain data that the command prints as text or JSON.
 */

import type {
  Backend,
  Diagnostic,
  Family,
  InputFormat,
  MatchUse,
  ParseResult,
  Rule,
  SourcePos,
} from '../model/index.js';
import { targetPos } from '../model/index.js';
import { matchPartText } from '../netfilter/listing-phrase.js';
import { findMatch, findTarget } from '../netfilter/registry.js';
import { type NftTableSummary, nftSummary } from './nft/summary.js';

export interface TableSummary {
  readonly family: Family;
  readonly table: string;
  readonly chains: number;
  readonly userChains: number;
  readonly rules: number;
  /** The ruleset's backend (see Backend); absent for a hand-built ruleset. */
  readonly backend?: Backend;
  /** Built-in chains the backend did not make: no hook runs them. */
  readonly absent: readonly string[];
  /** Built-in chains made without a policy counter. */
  readonly uncounted: readonly string[];
}

export interface Limitation {
  readonly pos: SourcePos;
  readonly kind: 'not-simulated' | 'assumed' | 'symbolic';
  readonly what: string;
  readonly why: string;
}

export interface FileSummary {
  readonly file: string;
  readonly format: InputFormat;
  readonly loaded: boolean;
  readonly tables: readonly TableSummary[];
  readonly matches: readonly string[];
  readonly targets: readonly string[];
  /** The ipsets its rules read (`-m set --match-set NAME`): a scenario's host gives members. */
  readonly sets: readonly string[];
  readonly limitations: readonly Limitation[];
  readonly diagnostics: readonly Diagnostic[];
  /** The nftables tables of an nft input. */
  readonly nft?: readonly NftTableSummary[];
}

/** What a match's module name stands for, worked out once per name (a dump has a handful). */
interface ModuleFacts {
  readonly module: ReturnType<typeof findMatch>;
  /** How the limitations name it: `-m NAME`, or the listing's or nft's own text. */
  readonly what: string;
  /** Whether `what` is a module's (`-m NAME`): text a listing kept is not. */
  readonly listed: boolean;
  /** Neither unsimulated, assumed nor symbolic: a simulated use has nothing to say. */
  readonly quiet: boolean;
}

/** ModuleFacts by module name, for one summary. */
class ModuleNames {
  private readonly known = new Map<string, ModuleFacts>();

  of(name: string): ModuleFacts {
    let facts = this.known.get(name);
    if (facts === undefined) {
      const module = findMatch(name);
      const what = matchPartText(name);
      facts = {
        module,
        what,
        listed: what.startsWith('-m'),
        quiet: !module?.unsimulated && !module?.assumed && !module?.symbolic,
      };
      this.known.set(name, facts);
    }
    return facts;
  }
}

/** What summarize() gathers from the rules of a file. */
interface Gathered {
  readonly matches: Set<string>;
  readonly targets: Set<string>;
  readonly sets: Set<string>;
  readonly limitations: Limitation[];
  readonly names: ModuleNames;
}

/**
 * One rule's modules, targets, ipsets and limitations, added to `into`: a function per rule, not
 * one loop body over the file, since JavaScriptCore compiles a function of 170,000 iterations
 * again to enter it inside its loop; and each match's facts are looked up once.
 */
function gatherRule(rule: Rule, into: Gathered): void {
  const matches = rule.matches;
  for (let k = 0; k < matches.length; k++) {
    const m = matches[k] as MatchUse;
    const facts = into.names.of(m.module);
    // Text a listing kept is not a module: the limitations name it.
    if (facts.listed) into.matches.add(m.module);
    const module = facts.module;
    if (m.simulated && module?.sets) for (const name of module.sets(m.data)) into.sets.add(name);
    // Neither unsimulated, assumed nor symbolic: nothing to say (the common case, at once).
    if (m.simulated && facts.quiet) continue;
    matchLimitations(rule, m, facts, into.limitations);
  }
  const t = rule.target;
  if (t) into.targets.add(t.kind === 'goto' ? 'goto' : t.kind === 'jump' ? 'jump' : t.name);
  if (t?.kind === 'extension' && (!t.simulated || !findTarget(t.name))) {
    into.limitations.push({
      pos: targetPos(rule),
      kind: 'not-simulated',
      what: `-j ${t.name}`,
      why: 'nfdb has no module for this target',
    });
  }
}

/** The limitations of one match of a rule, added to `out`. */
function matchLimitations(
  rule: Rule,
  m: MatchUse,
  { module, what }: ModuleFacts,
  out: Limitation[],
): void {
  const pos = m.pos ?? rule.origin;
  if (!m.simulated)
    out.push({
      pos,
      kind: 'not-simulated',
      what,
      why: what.startsWith('-m')
        ? 'nfdb has no module for it'
        : 'nfdb cannot read it from the listing',
    });
  else if (module?.unsimulated)
    out.push({ pos, kind: 'not-simulated', what: `-m ${m.module}`, why: module.unsimulated });
  else if (module?.assumed)
    out.push({ pos, kind: 'assumed', what: `-m ${m.module}`, why: module.assumed });
  const symbolic = m.simulated ? module?.symbolic?.(m.data, m.options) : undefined;
  for (const { what, why, option } of symbolic ?? []) {
    const at = option === undefined ? undefined : m.options[option]?.pos;
    out.push({ pos: at ?? pos, kind: 'symbolic', what, why });
  }
}

export function summarize(file: string, result: ParseResult): FileSummary {
  const matches = new Set<string>();
  const targets = new Set<string>();
  const sets = new Set<string>();
  const tables: TableSummary[] = [];
  const limitations: Limitation[] = [];
  const into: Gathered = { matches, targets, sets, limitations, names: new ModuleNames() };
  for (const ruleset of result.rulesets) {
    for (const table of ruleset.tables) {
      let rules = 0;
      for (const chain of table.chains) {
        const list = chain.rules;
        rules += list.length;
        for (let r = 0; r < list.length; r++) gatherRule(list[r] as Rule, into);
      }
      tables.push({
        family: ruleset.family,
        table: table.name,
        chains: table.chains.length,
        userChains: table.chains.filter((c) => !c.builtin).length,
        rules,
        backend: ruleset.backend,
        absent: table.chains.filter((c) => c.absent).map((c) => c.name),
        uncounted: table.chains.filter((c) => c.uncounted && !c.absent).map((c) => c.name),
      });
    }
  }
  const nft = result.nft && nftSummary(result.nft);
  if (nft) limitations.push(...nft.limitations);
  return {
    file,
    format: result.format,
    ...(nft ? { nft: nft.tables } : {}),
    loaded: !result.diagnostics.some((d) => d.severity === 'error'),
    tables,
    matches: [...matches].sort(),
    targets: [...targets].sort(),
    sets: [...sets].sort(),
    limitations,
    diagnostics: result.diagnostics,
  };
}
