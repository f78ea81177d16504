import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { parseEdit } from '../../rules/edits/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { editScenario } from '../../world/what-if.js';
import { ruleLookup } from '../rule-lookup.js';
import type { Comparison } from './comparison.js';
import { diffTraces } from './index.js';
import { comparisonJsonSchema, comparisonSchema } from './schema.js';

type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

describe('the comparison schema', () => {
  it('says what the types say (a drift fails npx tsc)', () => {
    expectTypeOf<Writable<z.infer<typeof comparisonSchema>>>().toEqualTypeOf<
      Writable<Comparison>
    >();
  });

  it('accepts a comparison, as it is and through JSON', () => {
    const scenario = bookinfoScenario();
    const parsed = parseEdit('-t nat -D ISTIO_OUTPUT 4', 'ipv4');
    if (!parsed.ok) throw new Error('edit');
    const edited = editScenario(scenario, [{ host: 'reviews', edit: parsed.edit }]);
    if (!edited.ok) throw new Error(edited.message);
    const diff = diffTraces(simulate(scenario), simulate(edited.scenario), {
      before: ruleLookup(scenario.world.hosts),
      after: ruleLookup(edited.scenario.world.hosts),
    });
    const data: Comparison = { version: 1, scenario: 'bookinfo', edits: [], sets: [], diff };
    expect(comparisonSchema.safeParse(data).error).toBeUndefined();
    expect(comparisonSchema.safeParse(JSON.parse(JSON.stringify(data))).error).toBeUndefined();
  });

  it('is described by the JSON Schema kept in snapshots/comparison.schema.json', () => {
    const file = join(import.meta.dirname, '../../../snapshots/comparison.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(comparisonJsonSchema());
  });
});
