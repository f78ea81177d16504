/**
 * A packet in flight, with what the kernel attaches to its skb, and where its way ends. The
 * StepWriter turns the stack's decisions (routing, hooks, conntrack, fates) into trace Steps.
 */

import type { Frame, Hook, Lesson, Packet } from '../../model/index.js';
import { NO_CHANGES, packetChanges } from './changes.js';
import { type Entry, viewOf } from './conntrack.js';
import type { HostRuntime } from './host.js';
import type { TraceRecorder } from './recorder.js';
import type { SocketEntry } from './sockets.js';

/** A packet in flight with what the kernel attaches to its skb. */
export interface Flight {
  packet: Packet;
  ct?: { entry: Entry; direction: 'original' | 'reply' };
  untracked: boolean;
  zone: number;
  /** The sending socket (locally generated packets only). */
  socket?: SocketEntry;
  /** The socket TPROXY assigned. */
  assigned?: SocketEntry;
  /** REJECT's answer or an ICMP error: it belongs to another packet's connection. */
  related?: boolean;
}

export type Fate = 'dropped' | 'rejected' | 'refused' | 'lost' | 'stopped';

export type Arrival =
  | {
      readonly kind: 'delivered';
      readonly host: HostRuntime;
      readonly socket: SocketEntry;
      readonly flight: Flight;
    }
  | {
      readonly kind: Fate;
      readonly host: HostRuntime;
      readonly reason: string;
      readonly flight: Flight;
      readonly rule?: string;
      /** What REJECT sends back, ready to leave `host`. */
      readonly answer?: Flight;
    };

/** The call stack of a step outside any chain: one shared, frozen empty list. */
const NO_FRAMES: readonly Frame[] = Object.freeze([]);

export class StepWriter {
  constructor(private readonly rec: TraceRecorder) {}

  view(flight: Flight) {
    return flight.ct
      ? viewOf(flight.ct.entry, flight.ct.direction, flight.untracked, flight.related)
      : undefined;
  }
  step(
    host: HostRuntime,
    flight: Flight,
    s: {
      kind: 'hook' | 'routing' | 'wire' | 'socket' | 'fate' | 'stop' | 'conntrack';
      explain: string;
      hook?: Hook;
      table?: 'nat';
      verdict?: string;
      before?: Packet;
      place?: string;
      lesson?: Lesson;
    },
  ): void {
    this.rec.atHost(host.name);
    this.rec.addStackStep({
      kind: s.kind,
      hook: s.hook,
      table: s.table,
      verdict: s.verdict,
      stack: NO_FRAMES,
      packet: flight.packet,
      changes: s.before ? packetChanges(s.before, flight.packet) : NO_CHANGES,
      conntrack: this.view(flight),
      explain: s.explain,
      place: s.place,
      lesson: s.lesson,
    });
  }

  fate(
    host: HostRuntime,
    flight: Flight,
    kind: Fate,
    reason: string,
    rule?: string,
    answer?: Flight,
  ): Arrival {
    this.step(host, flight, {
      kind: kind === 'stopped' ? 'stop' : 'fate',
      verdict: kind,
      explain: reason,
    });
    return { kind, host, reason, flight, rule, answer };
  }
}
