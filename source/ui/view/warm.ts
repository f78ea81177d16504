/**
 * What the first look at a chain builds once (its column widths, its table's references, the
 * host's list of chains, the packets' matched rules), built for the chains the trace passes
 * through while the first frame is being read instead of on the first keypress: on a
 * 40,000-service node the nat table's references alone were a pass over 680,000 rules.
 */
import type { Scenario, Trace } from '../../model/index.js';
import { chainNamed } from '../../model/index.js';
import { columnWidths } from './chain-columns.js';
import { referencesTo } from './chain-references.js';
import { hostChains, rulesetFor } from './host-chains.js';
import { matchedSoFar } from './matched-steps.js';

/** The work, one chain (or table) at a time, so that a key typed meanwhile waits for one piece. */
export function* warmUp(scenario: Scenario, trace: Trace): Generator<void> {
  const seen = new Set<string>();
  for (const [i, s] of trace.steps.entries()) {
    if (!('chain' in s) || !s.chain || !('table' in s) || !s.table) continue;
    const key = `${s.host} ${s.packet.family} ${s.table.name} ${s.chain}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size === 1) {
      hostChains(scenario, trace, i);
      matchedSoFar(trace, i, s.host);
      yield;
    }
    const table = rulesetFor(scenario, s.host, s.packet.family)?.tables.find(
      (t) => t.name === s.table?.name,
    );
    const chain = table && chainNamed(table.chains, s.chain);
    if (!table || !chain) continue;
    referencesTo(table, chain.name);
    yield;
    columnWidths(chain);
    yield;
  }
}
