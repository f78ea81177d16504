/**
 * The zod schema of `nfdb run --compare --json` (a Comparison). The types in comparison.ts and
 * index.ts are the source of truth; schema.test.ts fails to typecheck when they disagree, and
 * snapshots/comparison.schema.json (`npm run schema`) is generated from this.
 */
import { z } from 'zod';
import { COMPARISON_VERSION } from './comparison.js';

const counters = z.strictObject({ packets: z.number(), bytes: z.number() });

const ruleFact = z.strictObject({
  table: z.string().optional(),
  chain: z.string().optional(),
  text: z.string(),
});

const outcome = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('delivered'),
    host: z.string(),
    process: z.string(),
    uid: z.number(),
    address: z.string(),
    port: z.number(),
  }),
  z.strictObject({
    kind: z.enum(['dropped', 'rejected', 'refused', 'lost']),
    host: z.string(),
    packet: z.string(),
    reason: z.string(),
    rule: ruleFact.optional(),
  }),
  z.strictObject({
    kind: z.literal('looped'),
    host: z.string(),
    process: z.string(),
    destination: z.string(),
    rules: z.array(ruleFact),
  }),
  z.strictObject({
    kind: z.literal('stopped'),
    host: z.string(),
    reason: z.string(),
    rule: ruleFact.optional(),
  }),
  z.strictObject({
    kind: z.literal('reset'),
    host: z.string(),
    process: z.string(),
    from: z.string(),
  }),
  z.strictObject({ kind: z.literal('none') }),
]);

const at = { host: z.string(), hook: z.string() };
const pathFact = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hook'), ...at }),
  z.strictObject({
    kind: z.literal('rule'),
    ...at,
    table: z.string(),
    chain: z.string(),
    rule: z.string(),
    verdict: z.string(),
  }),
  z.strictObject({
    kind: z.literal('policy'),
    ...at,
    table: z.string(),
    chain: z.string(),
    policy: z.string(),
  }),
  z.strictObject({
    kind: z.literal('socket'),
    host: z.string(),
    process: z.string(),
    port: z.number().optional(),
  }),
  z.strictObject({
    kind: z.literal('fate'),
    host: z.string(),
    fate: z.string(),
    reason: z.string(),
  }),
  z.strictObject({ kind: z.literal('stop'), host: z.string(), reason: z.string() }),
]);

const pathStep = z.strictObject({ step: z.number(), fact: pathFact });

const finding = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('loop'),
    host: z.string(),
    process: z.string(),
    destination: z.string(),
    rules: z.array(z.string()),
  }),
  z.strictObject({
    kind: z.literal('not-simulated'),
    reason: z.string(),
    rules: z.array(z.string()),
  }),
  z.strictObject({ kind: z.literal('hypothesis'), host: z.string(), process: z.string() }),
  z.strictObject({ kind: z.literal('forward-loop'), hops: z.array(z.string()) }),
  z.strictObject({
    kind: z.literal('rewritten-reply-lost'),
    host: z.string(),
    process: z.string(),
    label: z.string(),
  }),
]);

export const traceDiffSchema = z.strictObject({
  connections: z.array(
    z.strictObject({
      key: z.string(),
      before: z.number().optional(),
      after: z.number().optional(),
      outcomeBefore: outcome,
      outcomeAfter: outcome,
      firstDifference: z
        .strictObject({
          packet: z.number(),
          label: z.string(),
          labelAfter: z.string().optional(),
          before: pathStep.optional(),
          after: pathStep.optional(),
        })
        .optional(),
    }),
  ),
  counters: z.array(
    z.strictObject({
      host: z.string(),
      family: z.string(),
      table: z.string(),
      chain: z.string(),
      rule: z.string(),
      before: counters,
      after: counters,
    }),
  ),
  findings: z.strictObject({ added: z.array(finding), removed: z.array(finding) }),
});

export const comparisonSchema = z.strictObject({
  version: z.literal(COMPARISON_VERSION),
  scenario: z.string(),
  edits: z.array(z.strictObject({ host: z.string(), command: z.string() })),
  sets: z.array(z.string()),
  diff: traceDiffSchema,
});

/** The JSON Schema of `nfdb run --compare --json`, for snapshots/comparison.schema.json. */
export function comparisonJsonSchema(): unknown {
  return z.toJSONSchema(comparisonSchema);
}
