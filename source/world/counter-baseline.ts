/**
 * The counters the rulesets started with, as the trace's `baseline` lists them. Kept in one
 * place so that how a loaded counter is held (exact 64-bit values) changes here only.
 *
 * Nothing in nfdb reads the baseline to count (counters at a step come from the rulesets
 * themselves, trace/counters.ts): it is there for `run --json`'s readers. So it is made when
 * first read, not when the trace is: a 10,000-service node has 170,000 rules, and listing them
 * cost simulate() most of its half second before the first packet.
 */

import type { CounterBaseline, HostConfig, Ruleset } from '../model/index.js';

function baselineOf(host: string, ruleset: Ruleset, out: CounterBaseline[]): void {
  const family = ruleset.family;
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      // Literals, not `{ ...key, rule }`: V8 builds a spread-then-extended literal slowly.
      if (chain.builtin)
        out.push({
          host,
          family,
          table: table.name,
          chain: chain.name,
          rule: 'policy',
          counters: chain.counters,
        });
      for (const rule of chain.rules)
        out.push({
          host,
          family,
          table: table.name,
          chain: chain.name,
          rule: rule.id,
          counters: rule.counters,
        });
    }
  }
}

/** Every host's loaded counters, policy before rules, in table and chain order. */
export function counterBaseline(hosts: readonly HostConfig[]): readonly CounterBaseline[] {
  const out: CounterBaseline[] = [];
  for (const h of hosts) for (const r of h.rulesets) baselineOf(h.name, r, out);
  return out;
}
