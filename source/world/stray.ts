/**
 * A traffic item's stray segment: after the answer, the client sends one segment outside its
 * connection's window, and the hosts' TCP stacks answer it as Linux does.
 *
 * Conntrack calls it INVALID (tcp-conntrack.ts), so it has no entry and no NAT: on a pod whose
 * nat table redirected the connection to envoy, it reaches the port the client meant, where
 * the app listens but owns no such connection. The app's TCP answers a segment with ACK set by
 * a RST from that port, carrying the segment's ACK number as its SEQ: when that number was
 * right, the RST is in the client's window and resets its connection (istio/istio#36566).
 * A segment conntrack lets through reaches the connection's own socket, whose TCP drops what
 * is out of its window and answers with an ACK (tcp_send_dupack).
 */
import type { Family, Packet, StraySegment, WindowPosition } from '../model/index.js';
import { rejectAnswer } from '../netfilter/engine/reject.js';
import type { SocketEntry } from '../netfilter/engine/sockets.js';
import type { Arrival, Flight } from '../netfilter/engine/stack.js';
import { type Ends, type Segment, segmentLabel, tcpPacket } from './packets.js';

const WINDOW: Readonly<Record<StraySegment, WindowPosition>> = {
  'out-of-window': 'seq-over',
  'unseen-ack': 'ack-over',
  'old-retransmission': 'seq-under',
};

/** What the stray segment's way needs from the connection it strays from. */
export interface StrayWay {
  readonly family: Family;
  /** The client's ends, as its segments leave it. */
  readonly out: Ends;
  readonly mark: number;
  readonly payload: number;
  readonly client: SocketEntry;
  /** Sends a segment from the client's socket. */
  send(packet: Packet, label: string): Arrival;
  /** The server's side of the connection answers (its accepted socket). */
  reply(segment: Segment): Arrival;
  /** Sends what a host's TCP answers by itself, back toward the client. */
  answer(from: Arrival, flight: Flight, label: string): Arrival;
  /** The client's TCP resets its connection, on the RST it just read. */
  reset(rst: Arrival & { kind: 'delivered' }): void;
  /** The server's accepted socket, where a segment of the connection belongs. */
  readonly accepted: SocketEntry;
}

/** Sends the stray segment; whether the client's connection was reset by the answer. */
export function sendStray(stray: StraySegment, way: StrayWay): 'reset' | 'open' {
  const window = WINDOW[stray];
  // Data for the two SEQ cases; a bare ACK for the ACK number's case.
  const segment: Segment = window === 'ack-over' ? 'ACK' : 'DATA';
  const base = tcpPacket(way.family, way.out, segment, way.payload, way.mark);
  const sent = way.send({ ...base, window }, `${segmentLabel(segment, way.payload)} ${stray}`);
  if (sent.kind === 'delivered' && sent.socket.id === way.accepted.id) {
    way.reply('ACK');
    return 'open';
  }
  if (sent.kind !== 'refused') return 'open';
  const rst = rejectAnswer({ ...sent.flight, ct: undefined }, 'tcp-reset');
  // The RST's SEQ is the stray's ACK number: out of the client's window when that was wrong.
  const flight: Flight =
    window === 'ack-over' ? { ...rst, packet: { ...rst.packet, window: 'seq-over' } } : rst;
  const back = way.answer(sent, flight, 'RST');
  const inWindow = flight.packet.window === undefined;
  if (back.kind !== 'delivered' || back.socket.id !== way.client.id || !inWindow) return 'open';
  way.reset(back);
  return 'reset';
}
