/**
 * The snapshot format: a scenario file plus what brings an investigation back, so one file can be
 * handed to a colleague. The trace is not stored: the simulation is deterministic, so the hosts,
 * rules, traffic, settings and what-if edits reproduce it step for step. Written in this
 * schema's key order (stable diffs); every scenario file reads as a version 0 snapshot.
 */
import { z } from 'zod';
import { scenarioSchema } from './scenario-schema.js';

/** The version this nfdb writes; an older one migrates forward (snapshot-migrate.ts). */
export const SNAPSHOT_VERSION = 1;

const edit = z
  .object({
    host: z.string().min(1).describe('the host whose rules the edit changes'),
    command: z
      .string()
      .min(1)
      .describe('the edit as iptables arguments, e.g. "-t nat -D ISTIO_OUTPUT 6"'),
  })
  .strict();

const cursor = z
  .object({
    step: z.number().int().min(0).describe('the step the UI opens at (as nfdb run numbers them)'),
    pane: z.enum(['chain', 'packet', 'timeline']).optional().describe('the focused pane'),
    traffic: z.number().int().min(0).optional().describe('the picked traffic item, from 0'),
    chain: z
      .string()
      .min(1)
      .optional()
      .describe('the chain being browsed, as TABLE CHAIN (e.g. "nat ISTIO_OUTPUT")'),
  })
  .strict();

const scenario = scenarioSchema.shape;

export const snapshotSchema = z
  .object({
    $schema: scenario.$schema,
    version: z.literal(SNAPSHOT_VERSION),
    name: scenario.name,
    nfdb: z.string().optional().describe('the nfdb version that wrote it'),
    createdAt: z.iso.datetime().optional().describe('when it was saved (ISO 8601, UTC)'),
    notes: z.string().default('').describe('free text: the question and what the trace answers'),
    settings: scenario.settings,
    hosts: scenario.hosts,
    traffic: scenario.traffic,
    edits: z.array(edit).default([]).describe('what-if edits, applied in order when restoring'),
    cursor: cursor.default({ step: 0 }),
  })
  .strict();

export type SnapshotFile = z.infer<typeof snapshotSchema>;
export type SnapshotEdit = SnapshotFile['edits'][number];
export type SnapshotCursor = SnapshotFile['cursor'];

/** The scenario a snapshot holds, as the scenario format has it. */
export function scenarioPart(snapshot: SnapshotFile): z.infer<typeof scenarioSchema> {
  const {
    version: _v,
    nfdb: _n,
    createdAt: _c,
    notes: _o,
    edits: _e,
    cursor: _u,
    ...rest
  } = snapshot;
  return rest;
}

/** The JSON Schema of the format, for editors and for snapshots/snapshot.schema.json. */
export function snapshotJsonSchema(): unknown {
  return z.toJSONSchema(snapshotSchema, { io: 'input' });
}
