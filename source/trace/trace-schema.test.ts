import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { loadSnapshotText } from '../io/read-snapshot.js';
import { type Scenario, type Step, TRACE_VERSION, type Trace } from '../model/index.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { stepSchema, traceJsonSchema, traceSchema } from './trace-schema.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');

/** The model's types are readonly and zod's are not; that difference is not a drift. */
type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

function scenarioFile(file: string): Scenario {
  const path = join(SNAPSHOTS, file);
  const loaded = loadSnapshotText(readFileSync(path, 'utf8'), path);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

const scenarios: [string, () => Scenario][] = [
  ['built-in bookinfo', bookinfoScenario],
  ...readdirSync(SNAPSHOTS)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f): [string, () => Scenario] => [f, () => scenarioFile(f)]),
];

describe('the trace schema', () => {
  it('says what the model types say (a drift fails npx tsc)', () => {
    // Equal, not only assignable: a field in the types and not in the schema fails, and the reverse.
    expectTypeOf<Writable<z.infer<typeof traceSchema>>>().toEqualTypeOf<Writable<Trace>>();
    expectTypeOf<Writable<z.infer<typeof stepSchema>>>().toEqualTypeOf<Writable<Step>>();
  });

  it.each(scenarios)('accepts the trace of %s, as it is and through JSON', (_, scenario) => {
    const trace = simulate(scenario());
    expect(trace.version).toBe(TRACE_VERSION);
    expect(traceSchema.safeParse(trace).error).toBeUndefined();
    const json: unknown = JSON.parse(JSON.stringify(trace));
    expect(traceSchema.safeParse(json).error).toBeUndefined();
    expect(json).toEqual(trace);
  });

  describe('refuses a step that is not a Step', () => {
    const step = simulate(bookinfoScenario()).steps[0];

    it('accepts the step as it is', () => {
      expect(stepSchema.safeParse(step).success).toBe(true);
    });

    it('with a key the types do not name', () => {
      const issues = stepSchema.safeParse({ ...step, note: 'extra' }).error?.issues;
      expect(issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['note'] }]);
    });

    it('with a kind the types do not name', () => {
      const issues = stepSchema.safeParse({ ...step, kind: 'teleport' }).error?.issues;
      expect(issues).toMatchObject([{ code: 'invalid_union', path: ['kind'] }]);
    });
  });

  it('is described by the JSON Schema kept in snapshots/trace.schema.json', () => {
    const kept = JSON.parse(readFileSync(join(SNAPSHOTS, 'trace.schema.json'), 'utf8'));
    // If this fails, the zod schema changed: regenerate the file with `npm run schema`.
    expect(kept).toEqual(traceJsonSchema());
  });
});
