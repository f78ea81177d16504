/**
 * A ruleset without what depends on where it was read from (source positions, rule ids, whether a
 * tcp match was implicit): two rulesets that mean the same thing normalize to equal values.
 * Round-trip tests and the what-if diff compare with it.
 */
import type { Ruleset } from '../model/index.js';

const DROPPED = new Set(['origin', 'pos', 'targetColumn', 'id', 'implicit']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  // A module's options as written are only its spelling once the module has read them.
  const spelled = 'options' in value && (value as { data?: unknown }).data !== undefined;
  for (const [key, v] of Object.entries(value)) {
    if (DROPPED.has(key) || v === undefined || (spelled && key === 'options')) continue;
    out[key] = strip(v);
  }
  return out;
}

export function normalizeRuleset(ruleset: Ruleset): unknown {
  return strip(ruleset);
}

/** The ruleset as `iptables-restore` without `-c` loads it: every counter zero. */
export function zeroCounters(ruleset: Ruleset): Ruleset {
  const zero = { packets: 0, bytes: 0 };
  return {
    ...ruleset,
    tables: ruleset.tables.map((t) => ({
      ...t,
      chains: t.chains.map((c) => ({
        ...c,
        counters: zero,
        rules: c.rules.map((r) => ({ ...r, counters: zero })),
      })),
    })),
  };
}
