/**
 * The captured rules: which iptables backend holds rules in each family, parsed as that backend
 * loads them, and what nfdb says about it. Both backends holding rules is the classic cause of
 * "my rules do nothing": the kernel runs both, and `iptables` shows only one of them.
 */
import type { Backend, Diagnostic, Family, Ruleset } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import type { SavedRules } from './capture.js';

const FAMILY_TOOL: Readonly<Record<Family, string>> = { ipv4: 'iptables', ipv6: 'ip6tables' };

/** `iptables-nft-save`, `ip6tables-legacy-save`. */
export const saveTool = (family: Family, backend: Backend) =>
  `${FAMILY_TOOL[family]}-${backend}-save`;

/** Rules, not only empty tables with ACCEPT policies. */
export function holdsRules(text: string | undefined): boolean {
  if (!text) return false;
  return /^(\[\d+:\d+\] )?-A /m.test(text) || /^:\S+ (DROP|REJECT) /m.test(text);
}

const ruleCount = (text: string) =>
  text.split('\n').filter((l) => /^(\[\d+:\d+\] )?-A /.test(l)).length;

export interface CapturedRules {
  readonly rulesets: readonly Ruleset[];
  /** The text simulated, per family, with the backend it came from (for --save). */
  readonly texts: Partial<Record<Family, { readonly text: string; readonly backend: Backend }>>;
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The backend of a family that nfdb simulates: the one that holds rules, nft when both do. */
function chosen(family: Family, saved: SavedRules, lines: string[], warnings: string[]) {
  const holding = (['nft', 'legacy'] as const).filter((b) => holdsRules(saved[family][b]));
  const say = (b: Backend) => `${saveTool(family, b)}: ${ruleCount(saved[family][b] ?? '')} rules`;
  if (holding.length === 0) {
    lines.push(`${FAMILY_TOOL[family]}: no rules in either backend`);
    return undefined;
  }
  lines.push(...holding.map(say));
  if (holding.length === 2)
    warnings.push(
      `both iptables-nft and iptables-legacy hold ${family === 'ipv4' ? 'IPv4' : 'IPv6'} rules: the kernel runs both on the same hooks, and '${FAMILY_TOOL[family]}' shows only one of them (a classic cause of "my rules do nothing"); nfdb simulates the iptables-nft ones, not the ${saveTool(family, 'legacy')} ones`,
    );
  return holding[0] as Backend;
}

export function capturedRules(saved: SavedRules): CapturedRules {
  const lines: string[] = [];
  const warnings: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const rulesets: Ruleset[] = [];
  const texts: CapturedRules['texts'] = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const backend = chosen(family, saved, lines, warnings);
    const text = backend && saved[family][backend];
    if (!backend || !text) continue;
    const parsed = parseRules(text, { file: saveTool(family, backend), family, backend });
    diagnostics.push(...parsed.diagnostics);
    rulesets.push(...parsed.rulesets.filter((r) => r.family === family));
    texts[family] = { text, backend };
  }
  return { rulesets, texts, lines, warnings, diagnostics };
}
