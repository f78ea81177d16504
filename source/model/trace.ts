/**
 * The Trace: everything the engine saw, as an ordered list of Steps. The UI renders
 * `steps[cursor]`; stepping back is moving the cursor, nothing is undone. Counters at a step are
 * derived from the per-step deltas (trace/counters.ts), so no step copies a table.
 *
 * A Step is a fact, not a sentence: a discriminated union by `kind`, each kind with typed fields
 * (a typed verdict, a typed event). The words people read are made from these facts in one
 * place (source/trace/words/), and nothing reads a sentence back. Steps refer to rules by their
 * stable `Rule.id`, so a what-if trace of an edited world can be diffed step by step.
 */

import type {
  ConntrackState,
  ConntrackView,
  Hook,
  Packet,
  Tuple,
  WindowPosition,
} from './packet.js';
import type { Counters, Family } from './ruleset.js';
import type { ChainPolicy, RuleVerdict } from './verdict.js';

/**
 * The trace format's version: `nfdb run --json` writes it; a change of shape raises it.
 * 3: rules passed over without a match are one `span` step, not one `rule` step each. Version 2
 * had also grown facts without a bump (findings, assumptions, loop causes, nft tables' `inet`
 * family): a reader of 2 may have seen some of them or not.
 */
export const TRACE_VERSION = 3;

/**
 * The family a table is registered in. iptables tables are `ipv4` or `ipv6`; an nftables
 * table may also be `inet` (both at once).
 */
export type TableFamily = Family | 'inet';

/**
 * A table by family and name: `ipv4 nat`, `inet istio-proxy-nat`. The name is open, since
 * nftables tables are named by whoever writes them.
 */
export interface TableRef {
  readonly family: TableFamily;
  readonly name: string;
}

/** The counter a step moved. `rule` is a Rule.id; `policy` means the chain's policy counter. */
export interface CounterDelta {
  readonly host: string;
  readonly family: Family;
  readonly table: string;
  readonly chain: string;
  readonly rule: string | 'policy';
  readonly packets: number;
  readonly bytes: number;
}

/** One chain frame on the call stack: the chain and the rule index (0-based) it is at. */
export interface Frame {
  readonly table: string;
  readonly chain: string;
  readonly ruleIndex: number;
}

/** A field the step changed: `dst` from `10.0.0.2:9080` to `10.0.0.2:15006`. */
export interface FieldChange {
  readonly field: 'src' | 'dst' | 'mark' | 'out';
  readonly before: string;
  readonly after: string;
}

/**
 * What the user must decide because nfdb does not simulate it: a `-m` or `-j` module nfdb does
 * not know (`why` absent), or one it knows but cannot decide from the scenario (`why` says so).
 */
export interface Gap {
  readonly type: 'match' | 'target';
  readonly module: string;
  readonly why?: string;
}

/** Why a rule did not match: the failed match (`module`; absent for the IP header part). */
export interface MatchMiss {
  readonly module?: string;
  /** The match's own words for the miss; absent when the module is not simulated. */
  readonly why?: string;
}

/**
 * A match nfdb took as matching or not without deciding it: a rate it cannot know (`takenAs`
 * absent: the module's own assumption), or an unsimulated module decided by the setting.
 */
export interface Assumption {
  readonly gap: Gap;
  readonly takenAs?: 'match' | 'no-match';
}

/** What people get wrong about a step, named so the words can say it. */
export type Lesson = 'nat-first-packet-only' | 'proxy-opens-new-connection';

/** Fields every step has: where it happened and the packet as it stands after it. */
export interface StepBase {
  readonly index: number;
  readonly host: string;
  readonly packetId: number;
  readonly connectionId: number;
  /** Call stack, outermost first (PREROUTING › ISTIO_INBOUND › ISTIO_IN_REDIRECT). */
  readonly stack: readonly Frame[];
  /** The packet after this step. */
  readonly packet: Packet;
  readonly changes: readonly FieldChange[];
  /** The packet's conntrack entry after this step, if it has one. */
  readonly conntrack?: ConntrackView;
  readonly counters: readonly CounterDelta[];
}

/** A packet was created by a process (`sender`) or by the kernel itself (no sender). */
export interface EmitStep extends StepBase {
  readonly kind: 'emit';
  readonly sender?: string;
  /** SYN, SYN-ACK, DATA 100B... */
  readonly label: string;
}

/** Crossing the loopback turn-around, or a wire or veth to another host. */
export interface WireStep extends StepBase {
  readonly kind: 'wire';
  readonly via: 'lo' | 'wire';
  /** For `wire`: out of `dev`, into `toHost`'s `toIface`, for `nextHop`. */
  readonly link?: {
    readonly dev: string;
    readonly toHost: string;
    readonly toIface: string;
    readonly nextHop: string;
  };
}

/** What a hook will run, in the kernel's priority order. */
export type HookStage =
  | { readonly kind: 'table'; readonly table: TableRef }
  | { readonly kind: 'conntrack' };

/** Entering a hook. */
export interface HookStep extends StepBase {
  readonly kind: 'hook';
  readonly hook: Hook;
  readonly stages: readonly HookStage[];
}

/** One rule evaluated: matched (with its verdict) or not (with the failed match). */
export interface RuleStep extends StepBase {
  readonly kind: 'rule';
  readonly hook: Hook;
  readonly table: TableRef;
  readonly chain: string;
  readonly ruleId: string;
  /** 0-based position in the chain. */
  readonly ruleIndex: number;
  readonly matched: boolean;
  readonly miss?: MatchMiss;
  readonly verdict?: RuleVerdict;
  readonly assumption?: Assumption;
}

/** The packet field a rule's IP header part tested, when it missed on it. */
export type HeaderField = 'protocol' | 'src' | 'dst' | 'in' | 'out';

/**
 * A rule passed over without a match, and why. A miss on the IP header part is said by the rule
 * alone (`why`, the rule's own condition: `-d 10.96.0.1/32: destination is `) and the value of
 * `field` in the step's packet, which completes the sentence; such entries are shared by every
 * span that passes the rule, so a million rules passed cost a million references, not objects.
 */
export interface PassedRule {
  readonly ruleId: string;
  /** The failed `-m` module; absent for the IP header part. */
  readonly module?: string;
  /** The match's own words for the miss; absent when the module is not simulated. */
  readonly why?: string;
  /** For the IP header part: the packet field whose value ends `why`. */
  readonly field?: HeaderField;
}

/** Why a passed rule missed, whole: the header part's sentence completed with the packet's value. */
export function passedMiss(passed: PassedRule, packet: Packet): MatchMiss {
  const f = passed.field;
  if (f === undefined) return { module: passed.module, why: passed.why };
  const value =
    f === 'in'
      ? (packet.inInterface ?? 'none')
      : f === 'out'
        ? (packet.outInterface ?? 'none')
        : packet[f];
  return { why: `${passed.why ?? ''}${value}` };
}

/**
 * Rules a packet passed over without a match, in a row in one chain: one step, however many
 * rules (a kube-proxy packet passes 9,000). No counter moves and the packet does not change.
 * The rules are at positions `ruleIndex` to `ruleIndex + passed.length - 1` (0-based); a miss
 * with an assumption stays a RuleStep of its own, since the user must see it.
 */
export interface SpanStep extends StepBase {
  readonly kind: 'span';
  readonly hook: Hook;
  readonly table: TableRef;
  readonly chain: string;
  /** 0-based position of the first rule passed over. */
  readonly ruleIndex: number;
  readonly passed: readonly PassedRule[];
}

/** The end of a built-in chain: its policy applied. */
export interface PolicyStep extends StepBase {
  readonly kind: 'policy';
  readonly hook: Hook;
  readonly table: TableRef;
  readonly chain: string;
  readonly policy: ChainPolicy;
}

/** A user chain fell off its end: back to the chain that called it. */
export interface ReturnStep extends StepBase {
  readonly kind: 'return';
  readonly hook: Hook;
  readonly table: TableRef;
  readonly chain: string;
  readonly to: string;
}

/** What conntrack did at a step. */
export type ConntrackEvent =
  | {
      readonly kind: 'new';
      readonly original: Tuple;
      readonly zone: number;
      /** A TCP segment other than a SYN, picked up mid-stream (nf_conntrack_tcp_loose=1). */
      readonly pickedUp?: true;
    }
  | {
      readonly kind: 'found';
      readonly direction: 'original' | 'reply';
      readonly original: Tuple;
      readonly state: ConntrackState;
      /** Out of the window, yet not INVALID: tcp_in_window ignores it, the entry stays. */
      readonly ignored?: WindowPosition;
    }
  /** Conntrack calls the packet INVALID: no entry, so no NAT either. */
  | { readonly kind: 'invalid'; readonly why: InvalidWhy }
  /** Back in through lo: the skb keeps its entry. */
  | { readonly kind: 'attached'; readonly state: ConntrackState }
  /** REJECT's answer carries the rejected packet's entry. */
  | { readonly kind: 'reject-related' }
  | { readonly kind: 'icmp-related'; readonly original: Tuple }
  /** An ICMP error about a connection this host does not track: no entry, no NAT. */
  | { readonly kind: 'icmp-untracked'; readonly quoted: Tuple }
  | { readonly kind: 'untracked' }
  /**
   * The nat table is not consulted: the packet is not the connection's first (`not-first`),
   * this manip was decided earlier on this host (`decided`), or it is an ICMP error.
   */
  | {
      readonly kind: 'nat-skipped';
      readonly table: TableRef;
      readonly manip: 'dnat' | 'snat';
      readonly why: 'not-first' | 'decided' | 'icmp-error' | 'invalid';
      readonly direction: 'original' | 'reply';
    }
  /** Conntrack applied the connection's NAT without the nat table. */
  | {
      readonly kind: 'nat-applied';
      readonly manip: 'dnat' | 'snat';
      /** An ICMP error: the packet it quotes, before and after. */
      readonly quoted?: { readonly before: Tuple; readonly after: Tuple };
    }
  | { readonly kind: 'confirmed'; readonly reply: Tuple };

/**
 * Why conntrack called a TCP segment INVALID (nf_conntrack_proto_tcp.c): out of an entry's
 * window (`window`, unless nf_conntrack_tcp_be_liberal=1), or with no entry, a segment that
 * cannot open one: a RST, SYN-ACK or FIN (`cannot-open`), or an ACK that
 * nf_conntrack_tcp_loose=0 does not pick up (`not-picked-up`).
 */
export type InvalidWhy =
  | { readonly kind: 'window'; readonly window: 'seq-over' | 'ack-over' }
  | { readonly kind: 'cannot-open'; readonly segment: 'RST' | 'SYN-ACK' | 'FIN' | 'no flags' }
  | { readonly kind: 'not-picked-up' };

export interface ConntrackStep extends StepBase {
  readonly kind: 'conntrack';
  readonly hook: Hook;
  readonly event: ConntrackEvent;
  readonly lesson?: Lesson;
}

/** A routing decision; `route` and `rule` are as `ip route` and `ip rule` name them. */
export type RoutingEvent =
  | { readonly kind: 'output' | 'reroute'; readonly route: string; readonly rule: string }
  | { readonly kind: 'no-route'; readonly rule?: string }
  | { readonly kind: 'local'; readonly route: string; readonly rule: string }
  | { readonly kind: 'forward'; readonly route: string };

export interface RoutingStep extends StepBase {
  readonly kind: 'routing';
  readonly event: RoutingEvent;
}

/** Delivered to a socket of `process`: a listener at `local`, or its connected socket. */
export interface SocketStep extends StepBase {
  readonly kind: 'socket';
  readonly process: string;
  readonly uid: number;
  readonly local: { readonly address: string; readonly port: number };
  readonly listening: boolean;
}

/** What a process did with what it read. */
export type ProcessEvent =
  | {
      readonly kind: 'answers';
      readonly process: string;
      readonly uid: number;
      readonly bytes: number;
    }
  | { readonly kind: 'answers-dns'; readonly process: string; readonly bytes: number }
  /** Envoy's own listeners (health 15021, stats 15090). */
  | { readonly kind: 'answers-itself'; readonly process: string; readonly port: number }
  /** A proxy at its connection limit (maxConnections) closes what it accepted, opening nothing. */
  | {
      readonly kind: 'closes';
      readonly process: string;
      readonly uid: number;
      readonly port: number;
      readonly limit: number;
    }
  /** A proxy accepts and opens a NEW connection to the original destination. */
  | ({ readonly kind: 'proxies'; readonly bind?: string } & ProxyRead)
  /**
   * nfdb's hypothesis, not envoy: the proxy writes the packet it was sent back to the original
   * destination, source unchanged, and sends it again as its own (a new skb, no entry attached).
   */
  | ({ readonly kind: 'rewrites' } & ProxyRead)
  /** A RST in the window of a process's connection: its TCP resets it (ECONNRESET). */
  | {
      readonly kind: 'reset';
      readonly process: string;
      readonly uid: number;
      /** Who sent the RST, `10.0.0.2:9080`. */
      readonly from: string;
    };

/** What a proxy learns of a packet redirected to it: which listener, and where it was going. */
export interface ProxyRead {
  readonly process: string;
  readonly uid: number;
  readonly side: 'inbound' | 'outbound';
  readonly port: number;
  readonly original: { readonly address: string; readonly port: number };
  readonly by: 'SO_ORIGINAL_DST' | 'TPROXY';
}

export interface ProcessStep extends StepBase {
  readonly kind: 'process';
  readonly event: ProcessEvent;
  readonly lesson?: Lesson;
}

/** Why a packet ended where it did. */
export type FateReason =
  | { readonly kind: 'no-route'; readonly after: 'none' | 'OUTPUT' }
  | { readonly kind: 'no-neighbour'; readonly dev: string; readonly nextHop: string }
  | { readonly kind: 'martian'; readonly dst: string; readonly iface: string }
  | { readonly kind: 'not-forwarding'; readonly dst: string }
  /** ip_forward with the TTL (hop limit) at 1: `hops`, the hosts that forwarded it, in order. */
  | { readonly kind: 'ttl-exceeded'; readonly hops: readonly string[] }
  | { readonly kind: 'icmp-no-socket'; readonly quoted: Tuple }
  | {
      readonly kind: 'nothing-listens';
      readonly dst: string;
      readonly dport: number;
      readonly protocol: 'tcp' | 'udp';
    }
  /**
   * A TCP segment other than a SYN that no connection owns, only a listener (`process`'s): the
   * kernel's TCP answers it with a RST (tcp_v4_send_reset), as where nothing listens.
   */
  | {
      readonly kind: 'no-connection';
      readonly dst: string;
      readonly dport: number;
      readonly process: string;
    }
  | { readonly kind: 'tproxy-no-socket'; readonly address: string; readonly port: number }
  | { readonly kind: 'rejected'; readonly with: string; readonly to: string }
  | { readonly kind: 'table-drop'; readonly table: TableRef; readonly hook: Hook };

export type Fate = 'dropped' | 'rejected' | 'refused' | 'lost';

/** The packet's end short of a socket. */
export interface FateStep extends StepBase {
  readonly kind: 'fate';
  readonly fate: Fate;
  readonly reason: FateReason;
}

/** Why nfdb stopped following a packet. */
export type StopReason =
  | { readonly kind: 'not-simulated'; readonly gap: Gap }
  | { readonly kind: 'missing-chain'; readonly chain: string }
  | { readonly kind: 'too-deep'; readonly limit: number }
  | { readonly kind: 'too-many-rules'; readonly limit: number }
  | { readonly kind: 'to-user-space'; readonly verdict: 'QUEUE' | 'STOLEN' }
  | {
      readonly kind: 'loop';
      readonly process: string;
      readonly destination: string;
      readonly rounds: number;
      /** Why it comes back; absent: the proxy's new connection is redirected to it again. */
      readonly cause?: LoopCause;
    };

/**
 * Why a rewriting proxy's packet (nfdb's hypothesis) came back to it. Mostly: the packet it
 * rewrote matched an existing conntrack entry (`entry`, the client's) in its original direction,
 * so conntrack applied that entry's DNAT again and the nat table was not consulted.
 */
export type LoopCause =
  | { readonly kind: 'rewritten-packet-matches-entry'; readonly entry: string }
  /** Otherwise the rules sent the rewritten packet back (a TPROXY rule, say). */
  | { readonly kind: 'rewritten-packet-redirected' };

/** The engine stopped: a rule it cannot simulate, a loop, a limit. */
export interface StopStep extends StepBase {
  readonly kind: 'stop';
  readonly reason: StopReason;
  /** Where in the rules, when the stop is at a rule. */
  readonly hook?: Hook;
  readonly table?: TableRef;
  readonly chain?: string;
  readonly ruleId?: string;
}

export type Step =
  | EmitStep
  | WireStep
  | HookStep
  | RuleStep
  | SpanStep
  | PolicyStep
  | ReturnStep
  | ConntrackStep
  | RoutingStep
  | SocketStep
  | ProcessStep
  | FateStep
  | StopStep;

export type StepKind = Step['kind'];

/** A step of one kind, for code that handles one. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** A connection of the scenario: a 5-tuple opened by a process (or by envoy on its behalf). */
export interface ConnectionInfo {
  readonly id: number;
  /** The scenario's own name for it (a traffic item's `label`), when it gives one. */
  readonly label?: string;
  readonly protocol: 'tcp' | 'udp';
  readonly fromHost: string;
  readonly fromProcess: string;
  readonly to: { readonly address: string; readonly port: number };
  /** The source address a proxy chose for its new connection (127.0.0.6 inbound). */
  readonly proxyBind?: string;
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
  readonly table: string;
  readonly chain: string;
  readonly rule: string | 'policy';
  readonly counters: Counters;
}

/** A problem found across steps, with the steps and rules where it arises. */
export type Finding =
  | {
      readonly kind: 'loop';
      readonly host: string;
      readonly process: string;
      readonly destination: string;
      readonly rounds: number;
      readonly steps: readonly number[];
      /** The rules that sent the proxy's connections back to it: the rules on the cycle. */
      readonly rules: readonly string[];
      readonly cause?: LoopCause;
    }
  /**
   * A reply of a connection whose packets a proxy rewrote (nfdb's hypothesis) did not reach the
   * client's socket: the proxy accepted nothing, so no socket of its holds the connection.
   * `steps`: the reply's last step.
   */
  | {
      readonly kind: 'rewritten-reply-lost';
      readonly host: string;
      readonly process: string;
      readonly connection: number;
      readonly label: string;
      readonly steps: readonly number[];
    }
  /**
   * The trace rests on a hypothesis of nfdb's that no kernel run can check: a proxy in
   * `rewrite` mode (no real proxy does this). `steps`: where the process first acted on it.
   */
  | {
      readonly kind: 'hypothesis';
      readonly hypothesis: 'proxy-rewrites-packets';
      readonly host: string;
      readonly process: string;
      readonly steps: readonly number[];
    }
  /**
   * Hosts forwarded a packet to each other until its TTL ran out: `hops`, the hosts of the cycle
   * once each; `forwards`, how many times it was forwarded. `steps`: where it was dropped.
   */
  | {
      readonly kind: 'forward-loop';
      readonly host: string;
      readonly hops: readonly string[];
      readonly forwards: number;
      readonly steps: readonly number[];
    }
  | {
      readonly kind: 'not-simulated';
      readonly reason: StopReason;
      readonly steps: readonly number[];
      readonly rules: readonly string[];
    };

export interface Trace {
  readonly version: typeof TRACE_VERSION;
  readonly scenario: string;
  readonly hosts: readonly string[];
  readonly connections: readonly ConnectionInfo[];
  readonly packets: readonly PacketInfo[];
  readonly steps: readonly Step[];
  readonly baseline: readonly CounterBaseline[];
  readonly findings: readonly Finding[];
}
