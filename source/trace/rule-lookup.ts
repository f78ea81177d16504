/**
 * Rules by their text: the trace names rules by `Rule.id`; people read them as iptables-save
 * writes them, or an nft rule as `nft -a list` does (table, chain, position, its text and
 * handle). The lookup is built from the scenario's hosts' rulesets and nft tables (no I/O here)
 * and handed to what prints the trace.
 */
import type { NftRuleset, Rule, Ruleset } from '../model/index.js';
import { ruleSpecText } from '../rules/save.js';
import type { RuleRef } from './words/rule.js';

/** A rule of a host by its id, with its chain, its number and its text; undefined if unknown. */
export type RuleLookup = (host: string, ruleId: string) => RuleRef | undefined;

interface RuledHost {
  readonly name: string;
  readonly rulesets: readonly Ruleset[];
  readonly nft?: NftRuleset;
}

/** An iptables rule's place; its text is written when first asked for. */
type Site = { table: string; chain: string; number: number; rule: Rule; text?: string };

/** A host's nft rules: `inet istio-proxy-nat`, chain, position, text, handle when known. */
function nftRefs(host: RuledHost, byId: Map<string, RuleRef>): void {
  for (const t of host.nft?.tables ?? [])
    for (const c of t.chains)
      c.rules.forEach((rule, i) => {
        if (!byId.has(rule.id))
          byId.set(rule.id, {
            table: `${t.family} ${t.name}`,
            chain: c.name,
            number: i + 1,
            text: rule.text,
            nft: true,
            ...(rule.handle === undefined ? {} : { handle: rule.handle }),
          });
      });
}

/**
 * The lookup over each host's rulesets and nft tables (the first family wins when two share an
 * id). An iptables rule's text is written when it is first asked for: a kube-proxy node has
 * 170,000 rules and a trace names a few dozen of them.
 */
export function ruleLookup(hosts: readonly RuledHost[]): RuleLookup {
  const nftByHost = new Map<string, Map<string, RuleRef>>();
  const byHost = new Map<string, Map<string, Site>>();
  for (const h of hosts) {
    const nft = nftByHost.get(h.name) ?? new Map<string, RuleRef>();
    nftByHost.set(h.name, nft);
    nftRefs(h, nft);
    const byId = byHost.get(h.name) ?? new Map<string, Site>();
    byHost.set(h.name, byId);
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains)
          c.rules.forEach((rule, i) => {
            if (!byId.has(rule.id))
              byId.set(rule.id, { table: t.name, chain: c.name, number: i + 1, rule });
          });
  }
  return (host, ruleId) => {
    const nft = nftByHost.get(host)?.get(ruleId);
    if (nft) return nft;
    const site = byHost.get(host)?.get(ruleId);
    if (!site) return undefined;
    site.text ??= ruleSpecText(site.rule);
    return { table: site.table, chain: site.chain, number: site.number, text: site.text };
  };
}
