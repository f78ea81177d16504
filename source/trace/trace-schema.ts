/**
 * The Trace as a zod schema: what `nfdb run --json` prints, checked key by key. The TypeScript
 * types in source/model are the source of truth; trace-schema.test.ts fails to typecheck when
 * this schema and those types disagree, and snapshots/trace.schema.json (`npm run schema`) is
 * generated from it, so a program reading `--json` can rely on the published shape.
 *
 * Every object is strict: a key the types do not name is an error, so a field added to a Step
 * without the schema is caught at runtime too, not only by the type test.
 */
import { z } from 'zod';
import { TRACE_VERSION } from '../model/index.js';

/**
 * The types worth a name in trace.schema.json: each becomes one entry of `$defs` that the rest
 * refer to, instead of being written out wherever it is used (a Packet is in every Step).
 */
const named = z.registry<{ id: string }>();

const hook = z
  .enum(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'])
  .register(named, { id: 'Hook' });
const family = z.enum(['ipv4', 'ipv6']);
const l4Protocol = z.enum(['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'other']);
const transport = z.enum(['tcp', 'udp']);
const direction = z.enum(['original', 'reply']);
const conntrackState = z.enum(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED']);
const manip = z.enum(['dnat', 'snat']);
const lesson = z.enum(['nat-first-packet-only', 'proxy-opens-new-connection']);
const address = z.strictObject({ address: z.string(), port: z.number() });
/** Loaded counters: 64-bit, so above 2^53 the numbers are rounded and `exact` has the digits. */
const counters = z.strictObject({
  packets: z.number(),
  bytes: z.number(),
  exact: z
    .strictObject({ packets: z.string(), bytes: z.string() })
    .optional()
    .describe('the counts as decimal text, when one is above 2^53 and the numbers are rounded'),
});

const tableRef = z
  .strictObject({ family: z.enum(['ipv4', 'ipv6', 'inet']), name: z.string() })
  .register(named, { id: 'TableRef' });

const tuple = z
  .strictObject({
    protocol: l4Protocol,
    src: z.string(),
    dst: z.string(),
    sport: z.number(),
    dport: z.number(),
  })
  .register(named, { id: 'Tuple' });

const windowPosition = z.enum(['seq-over', 'ack-over', 'seq-under']);

const invalidWhy = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('window'), window: z.enum(['seq-over', 'ack-over']) }),
    z.strictObject({
      kind: z.literal('cannot-open'),
      segment: z.enum(['RST', 'SYN-ACK', 'FIN', 'no flags']),
    }),
    z.strictObject({ kind: z.literal('not-picked-up') }),
  ])
  .register(named, { id: 'InvalidWhy' });

const packet = z
  .strictObject({
    family,
    protocol: l4Protocol,
    protocolNumber: z.number(),
    src: z.string(),
    dst: z.string(),
    sport: z.number(),
    dport: z.number(),
    tcpFlags: z
      .strictObject({
        syn: z.boolean(),
        ack: z.boolean(),
        fin: z.boolean(),
        rst: z.boolean(),
        psh: z.boolean(),
        urg: z.boolean(),
      })
      .optional(),
    icmpType: z.number().optional(),
    icmpCode: z.number().optional(),
    embedded: tuple.optional(),
    length: z.number(),
    ttl: z.number(),
    mark: z.number(),
    inInterface: z.string().optional(),
    outInterface: z.string().optional(),
    fragment: z.boolean(),
    pktType: z.enum(['unicast', 'broadcast', 'multicast']),
    window: windowPosition.optional(),
  })
  .register(named, { id: 'Packet' });

const conntrackView = z
  .strictObject({
    id: z.string(),
    state: conntrackState,
    direction,
    original: tuple,
    reply: tuple,
    mark: z.number(),
    zone: z.number(),
    status: z.array(z.string()),
  })
  .register(named, { id: 'ConntrackView' });

const gap = z
  .strictObject({
    type: z.enum(['match', 'target']),
    module: z.string(),
    why: z.string().optional(),
  })
  .register(named, { id: 'Gap' });

const frame = z
  .strictObject({ table: z.string(), chain: z.string(), ruleIndex: z.number() })
  .register(named, { id: 'Frame' });

const fieldChange = z
  .strictObject({
    field: z.enum(['src', 'dst', 'mark', 'out']),
    before: z.string(),
    after: z.string(),
  })
  .register(named, { id: 'FieldChange' });

const counterDelta = z
  .strictObject({
    host: z.string(),
    family,
    table: z.string(),
    chain: z.string(),
    rule: z.string(),
    packets: z.number(),
    bytes: z.number(),
  })
  .register(named, { id: 'CounterDelta' });

/** Fields every step has: where it happened and the packet as it stands after it. */
const stepBase = {
  index: z.number(),
  host: z.string(),
  packetId: z.number(),
  connectionId: z.number(),
  stack: z.array(frame),
  packet,
  changes: z.array(fieldChange),
  conntrack: conntrackView.optional(),
  counters: z.array(counterDelta),
};

/** A step of one kind: the base fields, its `kind`, and its own. */
function step<K extends string, S extends z.ZodRawShape>(kind: K, shape: S) {
  return z.strictObject({ ...stepBase, kind: z.literal(kind), ...shape });
}

/** Where a step happened in the rules. */
const inChain = { hook, table: tableRef, chain: z.string() };

const targetOutcome = z
  .strictObject({
    verdict: z.enum(['ACCEPT', 'DROP', 'QUEUE', 'STOLEN', 'CONTINUE', 'RETURN']),
    conntrack: z
      .strictObject({
        mark: z.number().optional(),
        zone: z.number().optional(),
        untracked: z.boolean().optional(),
        nat: z
          .strictObject({
            kind: manip,
            address: z.string().optional(),
            port: z.number().optional(),
            masquerade: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    tproxy: address.optional(),
    reject: z.strictObject({ with: z.string() }).optional(),
    note: z.string().optional(),
  })
  .register(named, { id: 'TargetOutcome' });

const ruleVerdict = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.enum(['accept', 'drop', 'return', 'queue']) }),
    z.strictObject({ kind: z.enum(['jump', 'goto']), chain: z.string() }),
    z.strictObject({ kind: z.literal('continue') }),
    // Two shapes share `kind: 'target'`; `simulated` tells them apart.
    z.discriminatedUnion('simulated', [
      z.strictObject({
        kind: z.literal('target'),
        name: z.string(),
        simulated: z.literal(true),
        effect: targetOutcome,
      }),
      z.strictObject({ kind: z.literal('target'), name: z.string(), simulated: z.literal(false) }),
    ]),
  ])
  .register(named, { id: 'RuleVerdict' });

const conntrackEvent = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('new'),
      original: tuple,
      zone: z.number(),
      pickedUp: z.literal(true).optional(),
    }),
    z.strictObject({
      kind: z.literal('found'),
      direction,
      original: tuple,
      state: conntrackState,
      ignored: windowPosition.optional(),
    }),
    z.strictObject({ kind: z.literal('invalid'), why: invalidWhy }),
    z.strictObject({ kind: z.literal('attached'), state: conntrackState }),
    z.strictObject({ kind: z.literal('reject-related') }),
    z.strictObject({ kind: z.literal('icmp-related'), original: tuple }),
    z.strictObject({ kind: z.literal('icmp-untracked'), quoted: tuple }),
    z.strictObject({ kind: z.literal('untracked') }),
    z.strictObject({
      kind: z.literal('nat-skipped'),
      table: tableRef,
      manip,
      why: z.enum(['not-first', 'decided', 'icmp-error', 'invalid']),
      direction,
    }),
    z.strictObject({
      kind: z.literal('nat-applied'),
      manip,
      quoted: z.strictObject({ before: tuple, after: tuple }).optional(),
    }),
    z.strictObject({ kind: z.literal('confirmed'), reply: tuple }),
  ])
  .register(named, { id: 'ConntrackEvent' });

const routingEvent = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.enum(['output', 'reroute']), route: z.string(), rule: z.string() }),
    z.strictObject({ kind: z.literal('no-route'), rule: z.string().optional() }),
    z.strictObject({ kind: z.literal('local'), route: z.string(), rule: z.string() }),
    z.strictObject({ kind: z.literal('forward'), route: z.string() }),
  ])
  .register(named, { id: 'RoutingEvent' });

/** What a proxy learns of a packet redirected to it (ProxyRead). */
const proxyRead = {
  process: z.string(),
  uid: z.number(),
  side: z.enum(['inbound', 'outbound']),
  port: z.number(),
  original: address,
  by: z.enum(['SO_ORIGINAL_DST', 'TPROXY']),
};

const processEvent = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('answers'),
      process: z.string(),
      uid: z.number(),
      bytes: z.number(),
    }),
    z.strictObject({ kind: z.literal('answers-dns'), process: z.string(), bytes: z.number() }),
    z.strictObject({ kind: z.literal('answers-itself'), process: z.string(), port: z.number() }),
    z.strictObject({
      kind: z.literal('closes'),
      process: z.string(),
      uid: z.number(),
      port: z.number(),
      limit: z.number(),
    }),
    z.strictObject({ kind: z.literal('proxies'), ...proxyRead, bind: z.string().optional() }),
    z.strictObject({ kind: z.literal('rewrites'), ...proxyRead }),
    z.strictObject({
      kind: z.literal('reset'),
      process: z.string(),
      uid: z.number(),
      from: z.string(),
    }),
  ])
  .register(named, { id: 'ProcessEvent' });

const fateReason = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('no-route'), after: z.enum(['none', 'OUTPUT']) }),
    z.strictObject({ kind: z.literal('no-neighbour'), dev: z.string(), nextHop: z.string() }),
    z.strictObject({ kind: z.literal('martian'), dst: z.string(), iface: z.string() }),
    z.strictObject({ kind: z.literal('not-forwarding'), dst: z.string() }),
    z.strictObject({ kind: z.literal('ttl-exceeded'), hops: z.array(z.string()) }),
    z.strictObject({ kind: z.literal('icmp-no-socket'), quoted: tuple }),
    z.strictObject({
      kind: z.literal('nothing-listens'),
      dst: z.string(),
      dport: z.number(),
      protocol: transport,
    }),
    z.strictObject({
      kind: z.literal('no-connection'),
      dst: z.string(),
      dport: z.number(),
      process: z.string(),
    }),
    z.strictObject({ kind: z.literal('tproxy-no-socket'), address: z.string(), port: z.number() }),
    z.strictObject({ kind: z.literal('rejected'), with: z.string(), to: z.string() }),
    z.strictObject({ kind: z.literal('table-drop'), table: tableRef, hook }),
  ])
  .register(named, { id: 'FateReason' });

const loopCause = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('rewritten-packet-matches-entry'), entry: z.string() }),
    z.strictObject({ kind: z.literal('rewritten-packet-redirected') }),
  ])
  .register(named, { id: 'LoopCause' });

const stopReason = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('not-simulated'), gap }),
    z.strictObject({ kind: z.literal('missing-chain'), chain: z.string() }),
    z.strictObject({ kind: z.literal('too-deep'), limit: z.number() }),
    z.strictObject({ kind: z.literal('too-many-rules'), limit: z.number() }),
    z.strictObject({ kind: z.literal('to-user-space'), verdict: z.enum(['QUEUE', 'STOLEN']) }),
    z.strictObject({
      kind: z.literal('loop'),
      process: z.string(),
      destination: z.string(),
      rounds: z.number(),
      cause: loopCause.optional(),
    }),
  ])
  .register(named, { id: 'StopReason' });

const hookStage = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('table'), table: tableRef }),
    z.strictObject({ kind: z.literal('conntrack') }),
  ])
  .register(named, { id: 'HookStage' });

const passedRule = z
  .strictObject({
    ruleId: z.string(),
    module: z.string().optional(),
    why: z.string().optional(),
    field: z.enum(['protocol', 'src', 'dst', 'in', 'out']).optional(),
  })
  .register(named, { id: 'PassedRule' });

export const stepSchema = z
  .discriminatedUnion('kind', [
    step('emit', { sender: z.string().optional(), label: z.string() }),
    step('wire', {
      via: z.enum(['lo', 'wire']),
      link: z
        .strictObject({
          dev: z.string(),
          toHost: z.string(),
          toIface: z.string(),
          nextHop: z.string(),
        })
        .optional(),
    }),
    step('hook', { hook, stages: z.array(hookStage) }),
    step('rule', {
      ...inChain,
      ruleId: z.string(),
      ruleIndex: z.number(),
      matched: z.boolean(),
      miss: z
        .strictObject({ module: z.string().optional(), why: z.string().optional() })
        .optional(),
      verdict: ruleVerdict.optional(),
      assumption: z
        .strictObject({ gap, takenAs: z.enum(['match', 'no-match']).optional() })
        .optional(),
    }),
    step('span', {
      ...inChain,
      ruleIndex: z.number(),
      passed: z.array(passedRule),
    }),
    step('policy', { ...inChain, policy: z.enum(['ACCEPT', 'DROP']) }),
    step('return', { ...inChain, to: z.string() }),
    step('conntrack', { hook, event: conntrackEvent, lesson: lesson.optional() }),
    step('routing', { event: routingEvent }),
    step('socket', {
      process: z.string(),
      uid: z.number(),
      local: address,
      listening: z.boolean(),
    }),
    step('process', { event: processEvent, lesson: lesson.optional() }),
    step('fate', { fate: z.enum(['dropped', 'rejected', 'refused', 'lost']), reason: fateReason }),
    step('stop', {
      reason: stopReason,
      hook: hook.optional(),
      table: tableRef.optional(),
      chain: z.string().optional(),
      ruleId: z.string().optional(),
    }),
  ])
  .register(named, { id: 'Step' });

const connection = z.strictObject({
  id: z.number(),
  label: z.string().optional(),
  protocol: transport,
  fromHost: z.string(),
  fromProcess: z.string(),
  to: address,
  proxyBind: z.string().optional(),
  parent: z.number().optional(),
  traffic: z.number(),
});

const packetInfo = z.strictObject({
  id: z.number(),
  connectionId: z.number(),
  label: z.string(),
  direction,
  firstStep: z.number(),
  lastStep: z.number(),
  fate: z.enum(['delivered', 'dropped', 'rejected', 'refused', 'stopped', 'lost']),
  sender: z.strictObject({ process: z.string(), uid: z.number(), gid: z.number() }).optional(),
});

const baseline = z.strictObject({
  host: z.string(),
  family,
  table: z.string(),
  chain: z.string(),
  rule: z.string(),
  counters,
});

const finding = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('loop'),
      host: z.string(),
      process: z.string(),
      destination: z.string(),
      rounds: z.number(),
      steps: z.array(z.number()),
      rules: z.array(z.string()),
      cause: loopCause.optional(),
    }),
    z.strictObject({
      kind: z.literal('rewritten-reply-lost'),
      host: z.string(),
      process: z.string(),
      connection: z.number(),
      label: z.string(),
      steps: z.array(z.number()),
    }),
    z.strictObject({
      kind: z.literal('hypothesis'),
      hypothesis: z.literal('proxy-rewrites-packets'),
      host: z.string(),
      process: z.string(),
      steps: z.array(z.number()),
    }),
    z.strictObject({
      kind: z.literal('forward-loop'),
      host: z.string(),
      hops: z.array(z.string()),
      forwards: z.number(),
      steps: z.array(z.number()),
    }),
    z.strictObject({
      kind: z.literal('not-simulated'),
      reason: stopReason,
      steps: z.array(z.number()),
      rules: z.array(z.string()),
    }),
  ])
  .register(named, { id: 'Finding' });

export const traceSchema = z.strictObject({
  version: z.literal(TRACE_VERSION),
  scenario: z.string(),
  hosts: z.array(z.string()),
  connections: z.array(connection),
  packets: z.array(packetInfo),
  steps: z.array(stepSchema),
  baseline: z.array(baseline),
  findings: z.array(finding),
});

/** The JSON Schema of `nfdb run --json`, for snapshots/trace.schema.json. */
export function traceJsonSchema(): unknown {
  return z.toJSONSchema(traceSchema, { metadata: named });
}
