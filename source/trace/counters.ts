/**
 * Counters at any step, derived instead of stored: the rulesets' own counters (the baseline)
 * plus every delta up to the cursor. Stepping back is summing less; no step copies a table.
 */
import {
  addCounters,
  type CounterDelta,
  type Counters,
  type Family,
  type NftChain,
  type NftRule,
  type NftTable,
  type Ruleset,
  type Trace,
} from '../model/index.js';

export type CounterKey = string;

export function counterKey(
  c: Pick<CounterDelta, 'host' | 'family' | 'table' | 'chain' | 'rule'>,
): CounterKey {
  return `${c.host}|${c.family}|${c.table}|${c.chain}|${c.rule}`;
}

/** What moved from the start up to and including step `cursor` (all steps when omitted). */
export function deltasUpTo(
  trace: Trace,
  cursor = trace.steps.length - 1,
): Map<CounterKey, Counters> {
  const totals = new Map<CounterKey, Counters>();
  const last = Math.min(cursor, trace.steps.length - 1);
  for (let i = 0; i <= last; i++) {
    for (const d of trace.steps[i]?.counters ?? []) {
      const key = counterKey(d);
      const t = totals.get(key);
      totals.set(key, {
        packets: (t?.packets ?? 0) + d.packets,
        bytes: (t?.bytes ?? 0) + d.bytes,
      });
    }
  }
  return totals;
}

// The loaded counts may pass 2^53 (addCounters keeps them exact); the deltas never do.
const add = (a: Counters, b: Counters | undefined): Counters => (b ? addCounters(a, b) : a);

/** The chains (`host|family|table|chain`) whose counters moved: rule ids have no `|`. */
function movedChains(deltas: ReadonlyMap<CounterKey, Counters>): Set<string> {
  const moved = new Set<string>();
  for (const key of deltas.keys()) moved.add(key.slice(0, key.lastIndexOf('|')));
  return moved;
}

/**
 * A host's ruleset with its counters as they stand at the cursor. A chain nothing moved in is
 * the loaded chain itself, not a copy: a kube-proxy node has 170,000 rules and a packet moves
 * the counters of a dozen.
 */
export function rulesetAt(
  ruleset: Ruleset,
  host: string,
  deltas: ReadonlyMap<CounterKey, Counters>,
): Ruleset {
  const family: Family = ruleset.family;
  const moved = movedChains(deltas);
  return {
    ...ruleset,
    tables: ruleset.tables.map((table) => ({
      ...table,
      chains: table.chains.map((chain) => {
        const key = { host, family, table: table.name, chain: chain.name };
        if (!moved.has(`${host}|${family}|${table.name}|${chain.name}`)) return chain;
        return {
          ...chain,
          counters: chain.builtin
            ? add(chain.counters, deltas.get(counterKey({ ...key, rule: 'policy' })))
            : chain.counters,
          rules: chain.rules.map((rule) => {
            const delta = deltas.get(counterKey({ ...key, rule: rule.id }));
            return delta ? { ...rule, counters: add(rule.counters, delta) } : rule;
          }),
        };
      }),
    })),
  };
}

/**
 * An nft rule's counter at the cursor: its `counter packets N bytes M` as loaded plus what moved
 * in either family (an inet table counts both); undefined for a rule without a counter.
 */
export function nftCounterAt(
  host: string,
  deltas: Pick<ReadonlyMap<CounterKey, Counters>, 'get'>,
): (table: NftTable, chain: NftChain, rule: NftRule) => Counters | undefined {
  return (table, chain, rule) => {
    const statement = rule.statements.find((s) => s.kind === 'counter');
    if (statement?.kind !== 'counter') return undefined;
    let now = statement.counters ?? { packets: 0, bytes: 0 };
    for (const family of ['ipv4', 'ipv6'] as const)
      now = add(
        now,
        deltas.get(
          counterKey({ host, family, table: table.name, chain: chain.name, rule: rule.id }),
        ),
      );
    return now;
  };
}
