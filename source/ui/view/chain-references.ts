import { chainPositions, type Table } from '../../model/index.js';
import { jumpGraph } from '../../rules/validate.js';

/** Per table, the jumps and gotos to each chain, by the chain's position. */
const counts = new WeakMap<Table, Int32Array>();
/** Per table whose names are not all distinct (hand-built only), the counts by name. */
const countsByName = new WeakMap<Table, Map<string, number>>();

/**
 * Jumps and gotos to the chain `name` of a table (iptables -L's "N references"), counted once per
 * table from the jump graph the load-time checks built: on a 40,000-service node a walk of the
 * nat table's 680,000 rules held a keypress for a quarter of a second.
 */
export function referencesTo(table: Table, name: string): number {
  const graph = jumpGraph(table);
  if (!graph) return byName(table).get(name) ?? 0;
  let perChain = counts.get(table);
  if (!perChain) {
    perChain = new Int32Array(table.chains.length);
    for (const target of graph.edgeTarget)
      if (target >= 0) perChain[target] = (perChain[target] as number) + 1;
    counts.set(table, perChain);
  }
  const at = chainPositions(table.chains).get(name);
  return at === undefined ? 0 : (perChain[at] as number);
}

function byName(table: Table): ReadonlyMap<string, number> {
  let refs = countsByName.get(table);
  if (!refs) {
    refs = new Map();
    for (const c of table.chains)
      for (const r of c.rules)
        if (r.target?.kind === 'jump' || r.target?.kind === 'goto')
          refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1);
    countsByName.set(table, refs);
  }
  return refs;
}
