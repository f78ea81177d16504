/**
 * The snapshot format: a scenario file plus what brings an investigation back, so one file can be
 * handed to a colleague. The trace is not stored: the simulation is deterministic, so the hosts,
 * rules, traffic, settings and what-if edits reproduce it step for step. Written in this
 * schema's key order (stable diffs); every scenario file reads as a version 0 snapshot.
 */
import { z } from 'zod';
import { scenarioSchema } from './scenario-schema.js';

/**
 * The version this nfdb writes; an older one migrates forward (snapshot-migrate.ts). Version 2
 * added the UI's other what-if changes (switched-off and moved rules, world values, the proxy
 * mode) and the undone ones, which version 1 had no words for. Version 3 came with trace version
 * 3's rule spans, which renumbered the steps: the cursor names its step by identity (`at`) too,
 * and an older cursor's number is kept as `ruleStep`, numbered the old way.
 */
export const SNAPSHOT_VERSION = 3;

/**
 * One what-if change, in the order made. A rule edit is an iptables command on a host (what a
 * real host would run), with `switch` or `moveTo` for the UI's edits that keep the rule's
 * identity; a world value is `set`; the proxy's mode is `proxyMode`. Exactly one of `command`,
 * `set` and `proxyMode`.
 */
const edit = z
  .object({
    host: z.string().min(1).optional().describe('the host whose rules the command changes'),
    command: z
      .string()
      .min(1)
      .optional()
      .describe('the edit as iptables arguments, e.g. "-t nat -D ISTIO_OUTPUT 6"'),
    switch: z
      .enum(['off', 'on'])
      .optional()
      .describe(
        'off: the rule the -D command names is taken out and kept; on: the kept rule the -I command writes is put back',
      ),
    moveTo: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('the rule the -D command names moves to this place (from 1), keeping its identity'),
    set: z
      .string()
      .min(1)
      .optional()
      .describe('a value of the world as PATH=VALUE, as --set writes it'),
    proxyMode: z
      .enum(['terminate', 'rewrite'])
      .optional()
      .describe("what every envoy does, as --proxy-mode (rewrite: nfdb's hypothesis)"),
  })
  .strict()
  .superRefine((e, ctx) => {
    const given = (['command', 'set', 'proxyMode'] as const).filter((k) => e[k] !== undefined);
    const issue = (message: string, path: string[] = []) =>
      ctx.addIssue({ code: 'custom', message, path });
    if (given.length !== 1)
      issue(
        `expected exactly one of command, set or proxyMode, found ${given.length === 0 ? 'none' : given.join(' and ')}`,
      );
    if (e.command !== undefined && e.host === undefined)
      issue('expected the host the command is for', ['host']);
    if (e.command === undefined && e.host !== undefined)
      issue('a host goes with a command', ['host']);
    if (e.switch !== undefined && e.moveTo !== undefined)
      issue('a rule is switched or moved, not both', ['moveTo']);
    if (e.command === undefined && (e.switch !== undefined || e.moveTo !== undefined))
      issue('switch and moveTo go with a command', [e.switch !== undefined ? 'switch' : 'moveTo']);
  });

const count = z.number().int().min(0);

/** A step by what it is (trace/step-identity.ts), which outlives step numbers. */
const stepIdentity = z
  .object({
    connection: z.string().describe('the connection, as the trace diff keys it'),
    packet: count.describe("the packet's place in its connection, from 0"),
    host: z.string(),
    hook: z.string().optional(),
    visit: count.describe("which entry of the host's hook by this packet, from 0"),
    what: z.string().describe('what the step is, without its number: rule nat ISTIO_OUTPUT 12'),
    chain: z.string().optional(),
    inChain: count.optional(),
  })
  .strict();

const cursor = z
  .object({
    step: count.describe('the step the UI opens at (as nfdb run numbers them)'),
    at: stepIdentity
      .optional()
      .describe('the same step by what it is; used before `step`, which edits renumber'),
    ruleStep: count
      .optional()
      .describe(
        'a step number from a version 2 snapshot, when each rule passed over was a step of its own; used instead of `step`',
      ),
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
    undone: z
      .array(edit)
      .default([])
      .describe('what-if edits undone and not redone, the most recently undone last (for redo)'),
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
    undone: _d,
    cursor: _u,
    ...rest
  } = snapshot;
  return rest;
}

/** The JSON Schema of the format, for editors and for snapshots/snapshot.schema.json. */
export function snapshotJsonSchema(): unknown {
  return z.toJSONSchema(snapshotSchema, { io: 'input' });
}
