/**
 * What `nfdb check` says of an nft ruleset: each table with its base chains (hook, type,
 * priority), rule and set counts, and every part of a rule nfdb does not decide by itself.
 */
import type { SourcePos } from '../../model/index.js';
import type { NftExpr, NftRuleset, NftStatement, NftTable } from '../../model/nft.js';
import { exprText } from './check.js';
import { unsupportedWhy } from './support.js';
import { partTypes, typedValue } from './types.js';

export interface NftTableSummary {
  readonly family: string;
  readonly table: string;
  readonly chains: number;
  /** `output: nat hook OUTPUT priority -100`. */
  readonly baseChains: readonly string[];
  readonly rules: number;
  readonly sets: number;
}

export interface NftLimitation {
  readonly pos: SourcePos;
  readonly kind: 'not-simulated' | 'symbolic';
  readonly what: string;
  readonly why: string;
}

function exprLimits(expr: NftExpr, pos: SourcePos, out: NftLimitation[]): void {
  const why = unsupportedWhy(expr);
  if (why) out.push({ pos, kind: 'not-simulated', what: exprText(expr), why });
}

function statementLimits(s: NftStatement, out: NftLimitation[]): void {
  if (s.kind === 'unsupported')
    out.push({ pos: s.pos, kind: 'not-simulated', what: s.text, why: s.why });
  if (s.kind === 'match') {
    exprLimits(s.left, s.pos, out);
    const type = partTypes(s.left)[0];
    const values =
      s.right.kind === 'value' ? [s.right.value] : s.right.kind === 'list' ? s.right.values : [];
    for (const v of values) {
      const d = type && typedValue(v.text, type);
      if (d && d.kind === 'symbolic')
        out.push({
          pos: v.pos,
          kind: 'symbolic',
          what: `${exprText(s.left)} ${v.text}`,
          why: d.why,
        });
    }
  }
  if (s.kind === 'vmap') exprLimits(s.key, s.pos, out);
}

function tableSummary(t: NftTable): NftTableSummary {
  return {
    family: t.family,
    table: t.name,
    chains: t.chains.length,
    baseChains: t.chains.flatMap((c) =>
      c.base
        ? [
            `${c.name}: type ${c.base.type} hook ${c.base.hook.toLowerCase()} priority ${c.base.priorityText}`,
          ]
        : [],
    ),
    rules: t.chains.reduce((n, c) => n + c.rules.length, 0),
    sets: t.sets.length,
  };
}

export function nftSummary(ruleset: NftRuleset): {
  tables: NftTableSummary[];
  limitations: NftLimitation[];
} {
  const limitations: NftLimitation[] = [];
  for (const t of ruleset.tables) {
    if (t.family === 'arp' || t.family === 'bridge' || t.family === 'netdev')
      limitations.push({
        pos: t.origin,
        kind: 'not-simulated',
        what: `table ${t.family} ${t.name}`,
        why: `the ${t.family} family is read, not run`,
      });
    for (const c of t.chains)
      for (const r of c.rules) for (const s of r.statements) statementLimits(s, limitations);
  }
  return { tables: ruleset.tables.map(tableSummary), limitations };
}
