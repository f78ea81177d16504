/**
 * Packets and hooks: what netfilter sees of a packet at one point, the five hooks it meets, and
 * the conntrack entry and socket attached to it.
 *
 * The five hooks, as a packet meets them:
 *
 *   wire ─► PREROUTING ─► routing ─┬─► INPUT ─► local socket
 *                                  └─► FORWARD ─┐
 *   local socket ─► routing ─► OUTPUT ─► (reroute) ─┴─► POSTROUTING ─► wire (or lo)
 */
import type { Family } from './ruleset.js';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

export type L4Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'other';

export interface TcpFlags {
  readonly syn: boolean;
  readonly ack: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly urg: boolean;
}

/**
 * A packet as netfilter sees it at one point. Immutable: a target that changes it (NAT, MARK)
 * returns a new one, so the trace can keep every version.
 */
export interface Packet {
  readonly family: Family;
  readonly protocol: L4Protocol;
  /** IP protocol number, for `-p 47` and for protocols nfdb does not name. */
  readonly protocolNumber: number;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly tcpFlags?: TcpFlags;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** An ICMP error's quoted packet, as its tuple: conntrack finds the connection by it. */
  readonly embedded?: Tuple;
  /** Total length of the IP packet in bytes, what counters add up. */
  readonly length: number;
  readonly ttl: number;
  /** skb->mark. */
  readonly mark: number;
  readonly inInterface?: string;
  readonly outInterface?: string;
  readonly fragment: boolean;
  readonly pktType: 'unicast' | 'broadcast' | 'multicast';
  /** Where a TCP segment falls against its connection's window; absent: inside it. */
  readonly window?: WindowPosition;
}

/**
 * A TCP segment outside its connection's window, as tcp_in_window (nf_conntrack_proto_tcp.c)
 * tells them apart: `seq-over`, data beyond what the receiver allowed; `ack-over`, it
 * acknowledges data the other side never sent; `seq-under`, an old retransmission of data
 * already acknowledged. nfdb does not number segments: every segment of its own exchanges is in
 * the window, and a traffic item's stray segment says where it falls.
 */
export type WindowPosition = 'seq-over' | 'ack-over' | 'seq-under';

export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

/** One direction of a connection: what nf_conntrack_tuple holds. */
export interface Tuple {
  readonly protocol: L4Protocol;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

/** A conntrack entry as the engine exposes it to matches (read-only view). */
export interface ConntrackView {
  readonly id: string;
  readonly state: ConntrackState;
  /** Which way this packet goes relative to the entry. */
  readonly direction: 'original' | 'reply';
  readonly original: Tuple;
  readonly reply: Tuple;
  readonly mark: number;
  readonly zone: number;
  /** SEEN_REPLY, ASSURED, CONFIRMED, SNAT, DNAT... as conntrack -L prints them. */
  readonly status: readonly string[];
}

/** The socket a locally generated packet belongs to (owner match looks here). */
export interface SocketView {
  readonly uid: number;
  readonly gid: number;
  readonly supplementaryGids: readonly number[];
  readonly transparent: boolean;
  /** `-m socket` without --nowildcard ignores sockets bound to 0.0.0.0. */
  readonly wildcard: boolean;
}

export type AddressType =
  | 'UNSPEC'
  | 'UNICAST'
  | 'LOCAL'
  | 'BROADCAST'
  | 'ANYCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'THROW'
  | 'NAT'
  | 'XRESOLVE';
