/**
 * What REJECT sends back (nf_reject_ipv4/ipv6.c): a TCP RST, or an ICMP error quoting the
 * rejected packet. The answer is a new, locally generated packet that carries the rejected
 * packet's conntrack entry as RELATED (nf_ct_attach), so it leaves through OUTPUT and
 * POSTROUTING like any local packet; its nat chains run only where that entry has no NAT yet.
 */
import type { Packet } from '../../model/index.js';
import type { Flight } from './flight.js';

/** ICMP type and code per --reject-with value (icmp_send / icmpv6_send). */
const ICMP: Readonly<Record<string, readonly [number, number]>> = {
  'icmp-net-unreachable': [3, 0],
  'icmp-host-unreachable': [3, 1],
  'icmp-proto-unreachable': [3, 2],
  'icmp-port-unreachable': [3, 3],
  'icmp-net-prohibited': [3, 9],
  'icmp-host-prohibited': [3, 10],
  'icmp-admin-prohibited': [3, 13],
  'icmp6-no-route': [1, 0],
  'icmp6-adm-prohibited': [1, 1],
  'icmp6-addr-unreachable': [1, 3],
  'icmp6-port-unreachable': [1, 4],
  'icmp6-policy-fail': [1, 5],
  'icmp6-reject-route': [1, 6],
};

/** An ICMP error quotes as much of the offending packet as fits in 576 (IPv6: 1280) bytes. */
function icmpLength(rejected: Packet): number {
  const header = rejected.family === 'ipv4' ? 28 : 48;
  const limit = rejected.family === 'ipv4' ? 576 : 1280;
  return header + Math.min(rejected.length, limit - header);
}

export function rejectAnswer(rejected: Flight, kind: string): Flight {
  const p = rejected.packet;
  const base = {
    family: p.family,
    src: p.dst,
    dst: p.src,
    ttl: 64,
    mark: 0,
    fragment: false,
    pktType: 'unicast' as const,
  };
  const packet: Packet =
    kind === 'tcp-reset'
      ? {
          ...base,
          protocol: 'tcp',
          protocolNumber: 6,
          sport: p.dport,
          dport: p.sport,
          // A RST without options; it acknowledges a SYN, and carries the ACK's number otherwise.
          tcpFlags: {
            syn: false,
            ack: p.tcpFlags?.ack !== true,
            fin: false,
            rst: true,
            psh: false,
            urg: false,
          },
          length: p.family === 'ipv4' ? 40 : 60,
        }
      : {
          ...base,
          protocol: p.family === 'ipv4' ? 'icmp' : 'icmpv6',
          protocolNumber: p.family === 'ipv4' ? 1 : 58,
          sport: 0,
          dport: 0,
          icmpType: ICMP[kind]?.[0] ?? 3,
          icmpCode: ICMP[kind]?.[1] ?? 3,
          length: icmpLength(p),
          embedded: {
            protocol: p.protocol,
            src: p.src,
            dst: p.dst,
            sport: p.sport,
            dport: p.dport,
          },
        };
  return {
    packet,
    ct: rejected.ct && { entry: rejected.ct.entry, direction: 'reply' },
    related: rejected.ct !== undefined,
    untracked: rejected.untracked,
    zone: rejected.zone,
  };
}
