/**
 * Rules by their text: the trace names rules by `Rule.id`; people read them as iptables-save
 * writes them, or an nft rule as `nft -a list` does (table, chain, position, its text and
 * handle). The lookup is built from the scenario's hosts' rulesets and nft tables (no I/O here)
 * and handed to what prints the trace.
 */
import type { NftRuleset, Ruleset } from '../model/index.js';
import { ruleSpecText } from '../rules/save.js';
import type { RuleRef } from './words/rule.js';

/** A rule of a host by its id, with its chain, its number and its text; undefined if unknown. */
export type RuleLookup = (host: string, ruleId: string) => RuleRef | undefined;

interface RuledHost {
  readonly name: string;
  readonly rulesets: readonly Ruleset[];
  readonly nft?: NftRuleset;
}

/** A host's nft rules: `inet istio-proxy-nat`, chain, position, text, handle when known. */
function nftRefs(host: RuledHost, byKey: Map<string, RuleRef>): void {
  for (const t of host.nft?.tables ?? [])
    for (const c of t.chains)
      c.rules.forEach((rule, i) => {
        const key = `${host.name}\u0000${rule.id}`;
        if (!byKey.has(key))
          byKey.set(key, {
            table: `${t.family} ${t.name}`,
            chain: c.name,
            number: i + 1,
            text: rule.text,
            nft: true,
            ...(rule.handle === undefined ? {} : { handle: rule.handle }),
          });
      });
}

/** The lookup over each host's rulesets (the first family wins when two share an id). */
export function ruleLookup(hosts: readonly RuledHost[]): RuleLookup {
  const byKey = new Map<string, RuleRef>();
  for (const h of hosts) nftRefs(h, byKey);
  for (const h of hosts)
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains)
          c.rules.forEach((rule, i) => {
            const key = `${h.name}\u0000${rule.id}`;
            if (!byKey.has(key))
              byKey.set(key, {
                table: t.name,
                chain: c.name,
                number: i + 1,
                text: ruleSpecText(rule),
              });
          });
  return (host, ruleId) => byKey.get(`${host}\u0000${ruleId}`);
}
