/**
 * Rules by their text: the trace names rules by `Rule.id`; people read them as iptables-save
 * writes them. The lookup is built from the scenario's hosts' rulesets (no I/O here) and handed
 * to what prints the trace.
 */
import type { Rule, Ruleset } from '../model/index.js';
import { ruleSpecText } from '../rules/save.js';
import type { RuleRef } from './words/rule.js';

/** A rule of a host by its id, with its chain, its number and its text; undefined if unknown. */
export type RuleLookup = (host: string, ruleId: string) => RuleRef | undefined;

/**
 * The lookup over each host's rulesets (the first family wins when two share an id). A rule's
 * text is written when it is first asked for: a kube-proxy node has 170,000 rules and a trace
 * names a few dozen of them.
 */
export function ruleLookup(
  hosts: readonly { readonly name: string; readonly rulesets: readonly Ruleset[] }[],
): RuleLookup {
  const byKey = new Map<string, { table: string; chain: string; number: number; rule: Rule }>();
  for (const h of hosts)
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains)
          c.rules.forEach((rule, i) => {
            const key = `${h.name}\u0000${rule.id}`;
            if (!byKey.has(key))
              byKey.set(key, { table: t.name, chain: c.name, number: i + 1, rule });
          });
  const written = new Map<string, RuleRef>();
  return (host, ruleId) => {
    const key = `${host}\u0000${ruleId}`;
    const known = written.get(key);
    if (known) return known;
    const found = byKey.get(key);
    if (!found) return undefined;
    const { rule, ...at } = found;
    const ref = { ...at, text: ruleSpecText(rule) };
    written.set(key, ref);
    return ref;
  };
}
