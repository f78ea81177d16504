/**
 * The packets a connection is made of, at their real sizes: what counters add up. Linux sends a
 * SYN and SYN-ACK with 20 bytes of TCP options (MSS, SACK, timestamps, window scale) and every
 * later segment with the 12-byte timestamp option.
 */

import type { Family, Packet, TcpFlags } from '../model/index.js';

export type Segment = 'SYN' | 'SYN-ACK' | 'ACK' | 'DATA' | 'FIN' | 'FIN-ACK';

const FLAGS: Record<Segment, Partial<TcpFlags>> = {
  SYN: { syn: true },
  'SYN-ACK': { syn: true, ack: true },
  ACK: { ack: true },
  DATA: { psh: true, ack: true },
  FIN: { fin: true, ack: true },
  'FIN-ACK': { fin: true, ack: true },
};

const ipHeader = (family: Family) => (family === 'ipv4' ? 20 : 40);

export interface Ends {
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

export function tcpPacket(
  family: Family,
  ends: Ends,
  segment: Segment,
  payload: number,
  mark: number,
): Packet {
  const tcpHeader = segment === 'SYN' || segment === 'SYN-ACK' ? 40 : 32;
  const f = FLAGS[segment];
  // Literals with the fields in one order, not a spread of shared ones: V8 builds a spread
  // slowly, and a packet is made for every segment (a tenth of the default scenario's time).
  return {
    family,
    src: ends.src,
    dst: ends.dst,
    sport: ends.sport,
    dport: ends.dport,
    ttl: 64,
    mark,
    fragment: false,
    pktType: 'unicast',
    protocol: 'tcp',
    protocolNumber: 6,
    tcpFlags: {
      syn: f.syn ?? false,
      ack: f.ack ?? false,
      fin: f.fin ?? false,
      rst: false,
      psh: f.psh ?? false,
      urg: false,
    },
    length: ipHeader(family) + tcpHeader + (segment === 'DATA' ? payload : 0),
  };
}

export function udpPacket(family: Family, ends: Ends, payload: number, mark: number): Packet {
  return {
    family,
    src: ends.src,
    dst: ends.dst,
    sport: ends.sport,
    dport: ends.dport,
    ttl: 64,
    mark,
    fragment: false,
    pktType: 'unicast',
    protocol: 'udp',
    protocolNumber: 17,
    length: ipHeader(family) + 8 + payload,
  };
}

export function segmentLabel(segment: Segment, payload: number): string {
  return segment === 'DATA' ? `DATA ${payload}B` : segment;
}
