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
  ParseResult,
  Rule,
  SourcePos,
} from '../model/index.js';
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

function ruleLimitations(rule: Rule): Limitation[] {
  const out: Limitation[] = [];
  for (const m of rule.matches) {
    const pos = m.pos ?? rule.origin;
    const module = findMatch(m.module);
    const what = matchPartText(m.module);
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
  const t = rule.target;
  if (t?.kind === 'extension' && (!t.simulated || !findTarget(t.name))) {
    out.push({
      pos: t.pos ?? rule.origin,
      kind: 'not-simulated',
      what: `-j ${t.name}`,
      why: 'nfdb has no module for this target',
    });
  }
  return out;
}

export function summarize(file: string, result: ParseResult): FileSummary {
  const matches = new Set<string>();
  const targets = new Set<string>();
  const sets = new Set<string>();
  const tables: TableSummary[] = [];
  const limitations: Limitation[] = [];
  for (const ruleset of result.rulesets) {
    for (const table of ruleset.tables) {
      let rules = 0;
      for (const chain of table.chains) {
        rules += chain.rules.length;
        for (const rule of chain.rules) {
          for (const m of rule.matches) {
            // Text a listing kept is not a module: the limitations name it.
            if (matchPartText(m.module).startsWith('-m')) matches.add(m.module);
            if (m.simulated)
              for (const name of findMatch(m.module)?.sets?.(m.data) ?? []) sets.add(name);
          }
          if (rule.target)
            targets.add(
              rule.target.kind === 'goto'
                ? 'goto'
                : rule.target.kind === 'jump'
                  ? 'jump'
                  : rule.target.name,
            );
          limitations.push(...ruleLimitations(rule));
        }
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
