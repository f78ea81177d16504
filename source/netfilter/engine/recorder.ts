/**
 * Builds a Trace while the engine runs: steps get their index, the host, packet and connection
 * they belong to, and counter deltas keyed by the stable rule id. Only the engine writes here;
 * everything downstream reads the finished, frozen Trace.
 */
import type {
  ConnectionInfo,
  ConntrackView,
  CounterBaseline,
  CounterDelta,
  Family,
  FieldChange,
  Finding,
  Frame,
  Hook,
  Lesson,
  Packet,
  PacketInfo,
  Step,
  Trace,
} from '../../model/index.js';

export type StepInput = Omit<Step, 'index' | 'host' | 'packetId' | 'connectionId' | 'counters'> & {
  readonly counter?: {
    readonly family: Family;
    readonly table: CounterDelta['table'];
    readonly chain: string;
    readonly rule: string;
  };
};

/** One event of the rule scan (netfilter/engine/walk.ts WalkEvent), as addWalk reads it. */
export interface WalkStepEvent {
  readonly kind: 'rule' | 'policy' | 'return' | 'stop';
  readonly table: CounterDelta['table'];
  readonly chain: string;
  readonly rule?: { readonly id: string };
  readonly ruleIndex?: number;
  readonly matched?: boolean;
  readonly failedMatch?: string;
  readonly verdict?: string;
  readonly stack: readonly Frame[];
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  readonly counter?: { readonly chain: string; readonly rule: string };
  readonly explain: string;
  readonly assumption?: string;
}

/** What Stack.step() records; every key present, undefined when it does not apply. */
export interface StackStepInput {
  readonly kind: Step['kind'];
  readonly hook: Hook | undefined;
  readonly table: CounterDelta['table'] | undefined;
  readonly verdict: string | undefined;
  readonly stack: readonly Frame[];
  readonly packet: Packet;
  readonly changes: readonly FieldChange[];
  readonly conntrack: ConntrackView | undefined;
  readonly explain: string;
  readonly place: string | undefined;
  readonly lesson: Lesson | undefined;
}

/** Steps that changed no packet field (a miss never does). */
const NO_CHANGES: readonly FieldChange[] = Object.freeze([]);

/** Steps that moved no counter share one frozen empty list. */
const NO_COUNTERS: readonly CounterDelta[] = Object.freeze([]);

/*
 * The rule scan's steps are made by constructor functions, not object literals. A trace keeps
 * every step, so V8 sees a literal's objects survive and pretenures its allocation site: every
 * later step is allocated straight into the old generation, under the write barrier and the
 * marker. That made a 10,000-rule walk several times slower (median 6.7 ms against 0.8 ms for
 * the bench's first kube-proxy packet, Node 20); objects made with `new` are not pretenured.
 * The constructors' prototype is Object.prototype, so a step is the same plain object the
 * literal made: same prototype, the same keys in the same order, the same JSON.
 */

type MutableStep = { -readonly [K in keyof Step]: Step[K] };

function WalkStep(
  this: MutableStep,
  kind: Step['kind'],
  hook: Hook,
  table: CounterDelta['table'],
  chain: string,
  ruleId: string | undefined,
  ruleIndex: number | undefined,
  matched: boolean | undefined,
  failedMatch: string | undefined,
  verdict: string | undefined,
  stack: readonly Frame[],
  packet: Packet,
  changes: readonly FieldChange[],
  conntrack: ConntrackView | undefined,
  explain: string,
  assumption: string | undefined,
  index: number,
  host: string,
  packetId: number,
  connectionId: number,
  counters: readonly CounterDelta[],
): void {
  this.kind = kind;
  this.hook = hook;
  this.table = table;
  this.chain = chain;
  this.ruleId = ruleId;
  this.ruleIndex = ruleIndex;
  this.matched = matched;
  this.failedMatch = failedMatch;
  this.verdict = verdict;
  this.stack = stack;
  this.packet = packet;
  this.changes = changes;
  this.conntrack = conntrack;
  this.explain = explain;
  this.assumption = assumption;
  this.index = index;
  this.host = host;
  this.packetId = packetId;
  this.connectionId = connectionId;
  this.counters = counters;
}
WalkStep.prototype = Object.prototype;
const newWalkStep = WalkStep as unknown as new (...args: Parameters<typeof WalkStep>) => Step;

function StackStep(
  this: MutableStep,
  kind: Step['kind'],
  hook: Hook | undefined,
  table: CounterDelta['table'] | undefined,
  verdict: string | undefined,
  stack: readonly Frame[],
  packet: Packet,
  changes: readonly FieldChange[],
  conntrack: ConntrackView | undefined,
  explain: string,
  place: string | undefined,
  lesson: Lesson | undefined,
  index: number,
  host: string,
  packetId: number,
  connectionId: number,
): void {
  this.kind = kind;
  this.hook = hook;
  this.table = table;
  this.verdict = verdict;
  this.stack = stack;
  this.packet = packet;
  this.changes = changes;
  this.conntrack = conntrack;
  this.explain = explain;
  this.place = place;
  this.lesson = lesson;
  this.index = index;
  this.host = host;
  this.packetId = packetId;
  this.connectionId = connectionId;
  this.counters = NO_COUNTERS;
}
StackStep.prototype = Object.prototype;
const newStackStep = StackStep as unknown as new (...args: Parameters<typeof StackStep>) => Step;

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

export class TraceRecorder {
  readonly steps: Step[] = [];
  readonly connections: ConnectionInfo[] = [];
  readonly findings: Finding[] = [];
  private readonly packets: OpenPacket[] = [];
  private current?: OpenPacket;
  private host = '';

  constructor(private readonly scenario: string) {}

  openConnection(info: Omit<ConnectionInfo, 'id'>): number {
    const id = this.connections.length + 1;
    // `{ ...info, id }` key by key: the same object, without V8's slow spread-then-extend.
    const connection: Record<string, unknown> = {};
    for (const key in info) connection[key] = info[key as keyof typeof info];
    connection.id = id;
    this.connections.push(connection as unknown as ConnectionInfo);
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
    return packet.id;
  }

  endPacket(fate: PacketInfo['fate']): void {
    if (!this.current) return;
    this.current.fate = fate;
    this.current.lastStep = Math.max(this.current.firstStep, this.steps.length - 1);
  }

  atHost(host: string): void {
    this.host = host;
  }

  get currentHost(): string {
    return this.host;
  }

  add(input: StepInput): number {
    const index = this.steps.length;
    const counter = input.counter;
    // A key-by-key copy instead of `const { counter, ...rest } = input` and `{ ...rest, ... }`:
    // the same keys in the same order, but V8 (Node 20-22) makes every spread-then-extended
    // literal slowly, with a map of its own (about 7 µs a step against 0.5 µs).
    const step: Record<string, unknown> = {};
    for (const key in input) {
      if (key !== 'counter') step[key] = input[key as keyof StepInput];
    }
    step.index = index;
    step.host = this.host;
    step.packetId = this.current?.id ?? 0;
    step.connectionId = this.current?.connectionId ?? 0;
    step.counters = counter
      ? [
          {
            host: this.host,
            family: counter.family,
            table: counter.table,
            chain: counter.chain,
            rule: counter.rule,
            packets: 1,
            bytes: input.packet.length,
          },
        ]
      : NO_COUNTERS;
    this.steps.push(step as unknown as Step);
    return index;
  }

  /**
   * The steps of the stack (hook, routing, conntrack, wire, socket, fate): what add() makes of
   * `{ kind, hook, table, verdict, stack, packet, changes, conntrack, explain }`, built in one
   * go since every packet makes a dozen of them.
   */
  addStackStep(s: StackStepInput): number {
    const index = this.steps.length;
    this.steps.push(
      new newStackStep(
        s.kind,
        s.hook,
        s.table,
        s.verdict,
        s.stack,
        s.packet,
        s.changes,
        s.conntrack,
        s.explain,
        s.place,
        s.lesson,
        index,
        this.host,
        this.current?.id ?? 0,
        this.current?.connectionId ?? 0,
      ),
    );
    return index;
  }

  /**
   * A step of the rule scan, once per rule evaluated (10,000 for one kube-proxy packet), so
   * built in one go instead of add()'s key-by-key copy. The Step is the one
   * add() would make from the same fields, with its keys in the same order (the JSON trace
   * shows them in that order).
   */
  addWalk(e: WalkStepEvent, hook: Hook, family: Family, changes: readonly FieldChange[]): number {
    const index = this.steps.length;
    const c = e.counter;
    const counters: readonly CounterDelta[] = c
      ? [
          {
            host: this.host,
            family,
            table: e.table,
            chain: c.chain,
            rule: c.rule,
            packets: 1,
            bytes: e.packet.length,
          },
        ]
      : NO_COUNTERS;
    this.steps.push(
      new newWalkStep(
        e.kind,
        hook,
        e.table,
        e.chain,
        e.rule?.id,
        e.ruleIndex,
        e.matched,
        e.failedMatch,
        e.verdict,
        e.stack,
        e.packet,
        changes,
        e.conntrack,
        e.explain,
        e.assumption,
        index,
        this.host,
        this.current?.id ?? 0,
        this.current?.connectionId ?? 0,
        counters,
      ),
    );
    return index;
  }

  /**
   * The commonest step of all, a rule that did not match: what addWalk() makes of an event with
   * kind 'rule', matched false, no verdict, no counter and the packet unchanged, with its keys in
   * the same order. Arguments rather than an event object, which would be garbage right away.
   */
  addWalkMiss(
    hook: Hook,
    table: CounterDelta['table'],
    chain: string,
    ruleId: string,
    ruleIndex: number,
    failedMatch: string,
    stack: readonly Frame[],
    packet: Packet,
    conntrack: ConntrackView | undefined,
    explain: string,
    assumption: string | undefined,
  ): number {
    const index = this.steps.length;
    this.steps.push(
      new newWalkStep(
        'rule',
        hook,
        table,
        chain,
        ruleId,
        ruleIndex,
        false,
        failedMatch,
        undefined,
        stack,
        packet,
        NO_CHANGES,
        conntrack,
        explain,
        assumption,
        index,
        this.host,
        this.current?.id ?? 0,
        this.current?.connectionId ?? 0,
        NO_COUNTERS,
      ),
    );
    return index;
  }

  find(finding: Finding): void {
    this.findings.push(finding);
  }

  finish(hosts: readonly string[], baseline: readonly CounterBaseline[]): Trace {
    return {
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
      baseline,
      findings: this.findings,
    };
  }
}
