import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../io/read-snapshot.js';
import { simulate } from '../world/simulate.js';
import { ruleLookup } from './rule-lookup.js';
import { summary } from './summary.js';

const DIR = join(import.meta.dirname, '../../snapshots');
const SHIPPED = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.includes('schema'));

/** Every rule id a step names, with its host, spans' rules included. */
function idsOf(steps: ReturnType<typeof simulate>['steps']) {
  return steps.flatMap((s) =>
    s.kind === 'rule' || s.kind === 'stop'
      ? s.ruleId === undefined
        ? []
        : [[s.host, s.ruleId] as const]
      : s.kind === 'span'
        ? s.passed.map((p) => [s.host, p.ruleId] as const)
        : [],
  );
}

describe('ruleLookup given the trace', () => {
  it.each(SHIPPED)('%s: finds each rule where the trace met it, as the full index does', (file) => {
    const path = join(DIR, file);
    const loaded = loadSnapshotText(readFileSync(path, 'utf8'), path);
    if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.join('; ')}`);
    const { hosts } = loaded.scenario.world;
    const trace = simulate(loaded.scenario);
    const indexed = ruleLookup(hosts);
    const met = ruleLookup(hosts, trace);
    const ids = idsOf(trace.steps);
    expect(ids.length).toBeGreaterThan(0);
    for (const [host, id] of ids) expect(met(host, id)).toEqual(indexed(host, id));
    expect(met('no such host', 'r1')).toBeUndefined();
    expect(summary(trace, met)).toEqual(summary(trace, indexed));
  });
});
