/**
 * The Trace: everything the engine saw, as an ordered list of Steps. The UI renders
 * `steps[cursor]`; stepping back is moving the cursor, nothing is undone. Counters at a step are
 * derived from the per-step deltas (see counters.ts), so no step copies a table.
 *
 * Steps refer to rules by their stable `Rule.id`, so a what-if trace of an edited world can be
 * diffed against the original step by step.
 */

import type { ConntrackView, Hook, Packet } from './packet.js';
import type { Counters, Family, TableName } from './ruleset.js';

/** What kind of thing happened at a step. */
export type StepKind =
  /** A packet was created by a process or the stack (SYN, reply, RST). */
  | 'emit'
  /** Crossing a wire or veth between hosts, or the loopback turn-around. */
  | 'wire'
  /** Entering a hook: the tables it will run, in order. */
  | 'hook'
  /** One rule evaluated: matched or not, and why. */
  | 'rule'
  /** End of a built-in chain: its policy applied. */
  | 'policy'
  /** A chain returned to its caller (RETURN or fell off a user chain). */
  | 'return'
  /** Conntrack looked the packet up: new entry, existing one, NAT applied without the nat table. */
  | 'conntrack'
  /** A routing decision (which table, which route, out which interface). */
  | 'routing'
  /** Delivered to a socket, or refused (nothing listens). */
  | 'socket'
  /** A process acted: envoy accepted and opened a new connection, the server answered. */
  | 'process'
  /** The packet's end: delivered, dropped, rejected, lost. */
  | 'fate'
  /** The engine stopped: a rule it cannot simulate, a loop, a limit. */
  | 'stop';

/** The counter a step moved. `rule` is a Rule.id; `policy` means the chain's policy counter. */
export interface CounterDelta {
  readonly host: string;
  readonly family: Family;
  readonly table: TableName;
  readonly chain: string;
  readonly rule: string | 'policy';
  readonly packets: number;
  readonly bytes: number;
}

/** One chain frame on the call stack: the chain and the rule index (0-based) it is at. */
export interface Frame {
  readonly table: TableName;
  readonly chain: string;
  readonly ruleIndex: number;
}

/** A field the step changed, for "dst 10.0.0.2:9080 → 10.0.0.2:15006". */
export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export interface Step {
  readonly index: number;
  readonly kind: StepKind;
  readonly host: string;
  readonly packetId: number;
  readonly connectionId: number;
  readonly hook?: Hook;
  readonly table?: TableName;
  readonly chain?: string;
  /** The rule evaluated (kind 'rule'): its id and 0-based position in the chain at that time. */
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  /** For 'rule': whether it matched; for a miss, which match failed and why. */
  readonly matched?: boolean;
  readonly failedMatch?: string;
  /** The verdict or action this step took: ACCEPT, DROP, jump ISTIO_INBOUND, REDIRECT... */
  readonly verdict?: string;
  /** Call stack, outermost first (PREROUTING › ISTIO_INBOUND › ISTIO_IN_REDIRECT). */
  readonly stack: readonly Frame[];
  /** The packet after this step. */
  readonly packet: Packet;
  readonly changes: readonly FieldChange[];
  /** The packet's conntrack entry after this step, if it has one. */
  readonly conntrack?: ConntrackView;
  readonly counters: readonly CounterDelta[];
  /** One line in plain words: why this happened. */
  readonly explain: string;
  /** Set where nfdb assumed something (limit match, a "not simulated" rule decided by setting). */
  readonly assumption?: string;
  /** Where the packet is, as the path strip names it: 'lo' or 'wire' for a 'wire' step, the
   *  process and its address for a 'socket' step ("envoy 10.0.0.2:15006"). */
  readonly place?: string;
  /** The lesson this step teaches, for the UI's explanation. */
  readonly lesson?: Lesson;
}

/**
 * What people get wrong about a step, named so the UI can say it in words: the nat table sees
 * only a connection's first packet; envoy opens a new connection instead of rewriting packets.
 */
export type Lesson = 'nat-first-packet-only' | 'proxy-opens-new-connection';

/** A connection of the scenario: a 5-tuple opened by a process (or by envoy on its behalf). */
export interface ConnectionInfo {
  readonly id: number;
  /** "productpage → reviews:9080", "envoy(reviews) → 10.0.0.2:9080 from 127.0.0.6". */
  readonly label: string;
  readonly protocol: 'tcp' | 'udp';
  readonly fromHost: string;
  readonly fromProcess: string;
  /** The connection that caused this one (envoy's upstream is caused by the accepted one). */
  readonly parent?: number;
  /** Index into the scenario's traffic list this connection belongs to. */
  readonly traffic: number;
}

export interface PacketInfo {
  readonly id: number;
  readonly connectionId: number;
  /** SYN, SYN-ACK, ACK, DATA 100B, FIN, UDP 64B... */
  readonly label: string;
  readonly direction: 'original' | 'reply';
  readonly firstStep: number;
  readonly lastStep: number;
  readonly fate: 'delivered' | 'dropped' | 'rejected' | 'refused' | 'stopped' | 'lost';
  /** The socket that sent it (what `-m owner` sees); absent when the kernel sent it itself. */
  readonly sender?: { readonly process: string; readonly uid: number; readonly gid: number };
}

/** Per host and family: the counters the rulesets started with, keyed as in CounterDelta. */
export interface CounterBaseline {
  readonly host: string;
  readonly family: Family;
  readonly table: TableName;
  readonly chain: string;
  readonly rule: string | 'policy';
  readonly counters: Counters;
}

/** A problem found across steps: a redirect loop, a jump cycle, an unsimulated rule. */
export interface Finding {
  readonly kind: 'loop' | 'not-simulated' | 'limit' | 'refused' | 'dropped';
  readonly message: string;
  readonly steps: readonly number[];
  readonly rules: readonly string[];
}

export interface Trace {
  readonly scenario: string;
  readonly hosts: readonly string[];
  readonly connections: readonly ConnectionInfo[];
  readonly packets: readonly PacketInfo[];
  readonly steps: readonly Step[];
  readonly baseline: readonly CounterBaseline[];
  readonly findings: readonly Finding[];
}
