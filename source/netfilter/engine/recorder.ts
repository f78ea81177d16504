/**
 * Builds a Trace while the engine runs: steps get their index, the host, packet and connection
 * they belong to, and counter deltas keyed by the stable rule id. Only the engine and the world's
 * processes write here, and they never read it back: every add returns the step's index.
 */
import type {
  Assumption,
  ConnectionInfo,
  ConntrackView,
  CounterBaseline,
  CounterDelta,
  Family,
  FieldChange,
  Finding,
  Frame,
  Hook,
  MatchMiss,
  Packet,
  PacketInfo,
  PassedRule,
  RuleStep,
  RuleVerdict,
  SpanStep,
  Step,
  StepBase,
  TableRef,
  Trace,
} from '../../model/index.js';
import { TRACE_VERSION } from '../../model/index.js';

/** What a step says beyond the fields every step has: the kind and its facts. */
export type StepFacts = Step extends infer S
  ? S extends Step
    ? Omit<S, keyof StepBase>
    : never
  : never;

/** Where a step happened and what it saw, for add(). */
export interface StepScene {
  readonly packet: Packet;
  readonly conntrack: ConntrackView | undefined;
  readonly changes?: readonly FieldChange[];
  readonly stack?: readonly Frame[];
  /** The counter this step moves: a rule id or the chain's policy. */
  readonly counter?: {
    readonly family: Family;
    readonly table: string;
    readonly chain: string;
    readonly rule: string;
  };
}

/** Steps that changed no packet field, moved no counter, or sit outside any chain. */
const NONE: readonly never[] = Object.freeze([]);

/*
 * Rule steps are made by a constructor function, not an object literal. A trace keeps every
 * step, so V8 sees a literal's objects survive and pretenures its allocation site: every later
 * step is allocated straight into the old generation, under the write barrier and the marker.
 * That made a 10,000-rule walk several times slower (median 6.7 ms against 0.8 ms for the
 * bench's first kube-proxy packet, Node 20); objects made with `new` are not pretenured. The
 * prototype is Object.prototype, so a step is a plain object: the same keys in the same order.
 */
type MutableRuleStep = { -readonly [K in keyof RuleStep]: RuleStep[K] };

function RuleStepObject(
  this: MutableRuleStep,
  index: number,
  host: string,
  packetId: number,
  connectionId: number,
  hook: Hook,
  table: TableRef,
  chain: string,
  ruleId: string,
  ruleIndex: number,
  matched: boolean,
  miss: MatchMiss | undefined,
  verdict: RuleVerdict | undefined,
  assumption: Assumption | undefined,
  stack: readonly Frame[],
  packet: Packet,
  changes: readonly FieldChange[],
  conntrack: ConntrackView | undefined,
  counters: readonly CounterDelta[],
): void {
  this.kind = 'rule';
  this.index = index;
  this.host = host;
  this.packetId = packetId;
  this.connectionId = connectionId;
  this.hook = hook;
  this.table = table;
  this.chain = chain;
  this.ruleId = ruleId;
  this.ruleIndex = ruleIndex;
  this.matched = matched;
  this.miss = miss;
  this.verdict = verdict;
  this.assumption = assumption;
  this.stack = stack;
  this.packet = packet;
  this.changes = changes;
  this.conntrack = conntrack;
  this.counters = counters;
}
RuleStepObject.prototype = Object.prototype;
const newRuleStep = RuleStepObject as unknown as new (
  ...args: Parameters<typeof RuleStepObject>
) => RuleStep;

interface OpenPacket {
  id: number;
  connectionId: number;
  label: string;
  direction: 'original' | 'reply';
  firstStep: number;
  lastStep: number;
  fate: PacketInfo['fate'];
  sender: PacketInfo['sender'];
}

/** A span while rules are being passed: its list grows in place until something else happens. */
type OpenSpan = { -readonly [K in keyof SpanStep]: SpanStep[K] } & { passed: PassedRule[] };

export class TraceRecorder {
  private readonly steps: Step[] = [];
  /** The last step, while it is a span that the next rule passed may extend. */
  private span: OpenSpan | undefined;
  private readonly connections: ConnectionInfo[] = [];
  private readonly findings: Finding[] = [];
  private readonly packets: OpenPacket[] = [];
  private current?: OpenPacket;
  private host = '';

  constructor(private readonly scenario: string) {}

  openConnection(info: Omit<ConnectionInfo, 'id'>): number {
    const id = this.connections.length + 1;
    this.connections.push({ id, ...info });
    return id;
  }

  beginPacket(
    connectionId: number,
    label: string,
    direction: 'original' | 'reply',
    sender?: PacketInfo['sender'],
  ): number {
    const packet: OpenPacket = {
      id: this.packets.length + 1,
      connectionId,
      label,
      direction,
      firstStep: this.steps.length,
      lastStep: this.steps.length,
      fate: 'lost',
      sender,
    };
    this.packets.push(packet);
    this.current = packet;
    this.span = undefined;
    return packet.id;
  }

  endPacket(fate: PacketInfo['fate']): void {
    if (!this.current) return;
    this.current.fate = fate;
    this.current.lastStep = Math.max(this.current.firstStep, this.steps.length - 1);
  }

  /** The index of the last step recorded, for a finding about where something ended. */
  get lastStep(): number {
    return this.steps.length - 1;
  }

  /** The connection of the packet being recorded (the one a process is reading now). */
  get currentConnection(): number | undefined {
    return this.current?.connectionId;
  }

  atHost(host: string): void {
    this.host = host;
  }

  /** A step of the stack, conntrack or a process: its facts and the scene; returns its index. */
  add(facts: StepFacts, scene: StepScene): number {
    this.span = undefined;
    const index = this.steps.length;
    // Key by key rather than spreads: V8 (Node 20-22) makes every spread-then-extended literal
    // slowly, with a map of its own (about 7 µs a step against 0.5 µs).
    const step: Record<string, unknown> = {
      kind: facts.kind,
      index,
      host: this.host,
      packetId: this.current?.id ?? 0,
      connectionId: this.current?.connectionId ?? 0,
    };
    for (const key in facts) if (key !== 'kind') step[key] = facts[key as keyof StepFacts];
    step.stack = scene.stack ?? NONE;
    step.packet = scene.packet;
    step.changes = scene.changes ?? NONE;
    step.conntrack = scene.conntrack;
    step.counters = this.counters(scene.counter, scene.packet);
    this.steps.push(step as unknown as Step);
    return index;
  }

  /**
   * One rule evaluated: a kube-proxy packet makes 10,000 of these, so built in one go by the
   * constructor above. `verdict` and `counter` are set when it matched.
   */
  addRule(
    hook: Hook,
    table: TableRef,
    family: Family,
    chain: string,
    ruleId: string,
    ruleIndex: number,
    miss: MatchMiss | undefined,
    verdict: RuleVerdict | undefined,
    assumption: Assumption | undefined,
    stack: readonly Frame[],
    packet: Packet,
    changes: readonly FieldChange[],
    conntrack: ConntrackView | undefined,
  ): number {
    this.span = undefined;
    const index = this.steps.length;
    const matched = miss === undefined;
    const counters = matched
      ? this.counters({ family, table: table.name, chain, rule: ruleId }, packet)
      : NONE;
    this.steps.push(
      new newRuleStep(
        index,
        this.host,
        this.current?.id ?? 0,
        this.current?.connectionId ?? 0,
        hook,
        table,
        chain,
        ruleId,
        ruleIndex,
        matched,
        miss,
        verdict,
        assumption,
        stack,
        packet,
        changes,
        conntrack,
        counters,
      ),
    );
    return index;
  }

  /**
   * A rule passed over without a match, when it is the next rule of the span the last step
   * opened (same chain walk, same packet): the span grows by it and true is returned. Otherwise
   * nothing changes and the caller opens a span with passRule. This is the cost of most rules of
   * a kube-proxy packet, so it makes nothing: the walk asks it before it works out a stack.
   */
  extendSpan(
    table: TableRef,
    chain: string,
    ruleIndex: number,
    passed: PassedRule,
    packet: Packet,
  ): boolean {
    const open = this.span;
    if (
      open === undefined ||
      open.ruleIndex + open.passed.length !== ruleIndex ||
      open.chain !== chain ||
      open.table !== table ||
      open.packet !== packet
    )
      return false;
    open.passed.push(passed);
    return true;
  }

  /** A rule passed over without a match: extends the open span (extendSpan), or begins one. */
  passRule(
    hook: Hook,
    table: TableRef,
    chain: string,
    ruleIndex: number,
    passed: PassedRule,
    stack: readonly Frame[],
    packet: Packet,
    conntrack: ConntrackView | undefined,
  ): number {
    if (this.extendSpan(table, chain, ruleIndex, passed, packet))
      return (this.span as OpenSpan).index;
    const span: OpenSpan = {
      kind: 'span',
      index: this.steps.length,
      host: this.host,
      packetId: this.current?.id ?? 0,
      connectionId: this.current?.connectionId ?? 0,
      hook,
      table,
      chain,
      ruleIndex,
      passed: [passed],
      stack,
      packet,
      changes: NONE,
      conntrack,
      counters: NONE,
    };
    this.steps.push(span);
    this.span = span;
    return span.index;
  }

  private counters(c: StepScene['counter'], packet: Packet): readonly CounterDelta[] {
    if (!c) return NONE;
    const delta: CounterDelta = {
      host: this.host,
      family: c.family,
      table: c.table,
      chain: c.chain,
      rule: c.rule,
      packets: 1,
      bytes: packet.length,
    };
    return [delta];
  }

  find(finding: Finding): void {
    this.findings.push(finding);
  }

  /**
   * The trace. `baseline` may be given as a function, called when the trace's baseline is first
   * read (and once): a large node's list of loaded counters is costly and most traces never
   * print it. The property is an enumerable getter, so JSON and spreads see a plain array.
   */
  finish(
    hosts: readonly string[],
    baseline: readonly CounterBaseline[] | (() => readonly CounterBaseline[]),
  ): Trace {
    const trace: { -readonly [K in keyof Trace]: Trace[K] } = {
      version: TRACE_VERSION,
      scenario: this.scenario,
      hosts,
      connections: this.connections,
      // A literal, not `{ ...p }`: the same keys in the same order, without V8's slow spread.
      packets: this.packets.map((p) => ({
        id: p.id,
        connectionId: p.connectionId,
        label: p.label,
        direction: p.direction,
        firstStep: p.firstStep,
        lastStep: p.lastStep,
        fate: p.fate,
        sender: p.sender,
      })),
      steps: this.steps,
      baseline: typeof baseline === 'function' ? [] : baseline,
      findings: this.findings,
    };
    if (typeof baseline === 'function') lazyBaseline(trace, baseline);
    return trace;
  }
}

/** Replaces `trace.baseline` by a getter that makes it on first read and keeps it. */
function lazyBaseline(
  trace: { baseline: readonly CounterBaseline[] },
  make: () => readonly CounterBaseline[],
): void {
  let made: readonly CounterBaseline[] | undefined;
  Object.defineProperty(trace, 'baseline', {
    enumerable: true,
    configurable: true,
    get: () => {
      made ??= make();
      return made;
    },
  });
}
