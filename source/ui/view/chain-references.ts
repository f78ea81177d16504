import type { Table } from '../../model/index.js';

const referenceCache = new WeakMap<Table, Map<string, number>>();

/** Jumps and gotos to each chain of a table, counted once per table (not per frame drawn). */
export function referencesOf(table: Table): ReadonlyMap<string, number> {
  let refs = referenceCache.get(table);
  if (!refs) {
    refs = new Map();
    for (const c of table.chains)
      for (const r of c.rules)
        if (r.target?.kind === 'jump' || r.target?.kind === 'goto')
          refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1);
    referenceCache.set(table, refs);
  }
  return refs;
}
