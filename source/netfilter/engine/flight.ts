/**
 * A packet in flight, with what the kernel attaches to its skb, and where its way ends. The
 * StepWriter turns the stack's decisions (routing, hooks, conntrack, fates) into trace Steps.
 */
import type { Fate, FateReason, Packet, StopReason } from '../../model/index.js';
import { NO_CHANGES, packetChanges } from './changes.js';
import { type Entry, viewOf } from './conntrack.js';
import type { HostRuntime } from './host.js';
import type { StepFacts, TraceRecorder } from './recorder.js';
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
  /** Conntrack called it INVALID where it last looked it up: no entry, no NAT. */
  invalid?: boolean;
  /** REJECT's answer or an ICMP error: it belongs to another packet's connection. */
  related?: boolean;
  /** The rules that redirected it (DNAT, REDIRECT, TPROXY, and the jump into their chain). */
  redirectedBy?: readonly string[];
  /** The hosts that forwarded it, in order: what a forwarding loop went round. */
  forwardedBy?: readonly string[];
}

export type Arrival =
  | {
      readonly kind: 'delivered';
      readonly host: HostRuntime;
      readonly socket: SocketEntry;
      readonly flight: Flight;
    }
  | {
      readonly kind: Fate | 'stopped';
      readonly host: HostRuntime;
      readonly flight: Flight;
      /** What REJECT sends back, ready to leave `host`. */
      readonly answer?: Flight;
    };

/** The facts of a step outside the rule scan, whose scene is the flight itself. */
type FlightFacts = Exclude<StepFacts, { kind: 'rule' }>;

export class StepWriter {
  constructor(private readonly rec: TraceRecorder) {}

  view(flight: Flight) {
    return flight.ct
      ? viewOf(flight.ct.entry, flight.ct.direction, flight.untracked, flight.related)
      : undefined;
  }

  /** A step at `host` with the flight as it is now; `before` when the step changed it. */
  step(host: HostRuntime, flight: Flight, facts: FlightFacts, before?: Packet): number {
    this.rec.atHost(host.name);
    return this.rec.add(facts, {
      packet: flight.packet,
      conntrack: this.view(flight),
      changes: before ? packetChanges(before, flight.packet) : NO_CHANGES,
    });
  }

  /** The packet ends short of a socket. */
  fate(
    host: HostRuntime,
    flight: Flight,
    fate: Fate,
    reason: FateReason,
    answer?: Flight,
  ): Arrival {
    this.step(host, flight, { kind: 'fate', fate, reason });
    return { kind: fate, host, flight, answer };
  }

  /** nfdb stops following the packet. */
  stop(host: HostRuntime, flight: Flight, reason: StopReason): Arrival {
    this.step(host, flight, { kind: 'stop', reason });
    return { kind: 'stopped', host, flight };
  }
}
