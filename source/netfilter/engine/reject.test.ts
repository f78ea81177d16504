import { describe, expect, it } from 'vitest';
import type { Packet } from '../../model/index.js';
import { packet } from '../test-helpers.js';
import { ConntrackTable } from './conntrack.js';
import type { Flight } from './flight.js';
import { rejectAnswer } from './reject.js';

const syn = packet({ src: '10.0.0.2', sport: 40000, dst: '10.0.0.3', dport: 9080, length: 60 });

function flight(p: Packet, tracked = true): Flight {
  const entry = new ConntrackTable('h').create(p, 4);
  return {
    packet: p,
    ct: tracked ? { entry, direction: 'original' } : undefined,
    untracked: !tracked,
    zone: 4,
  };
}

describe('rejectAnswer --reject-with tcp-reset (nf_send_reset)', () => {
  it('answers a SYN with RST+ACK from the port it was sent to', () => {
    const answer = rejectAnswer(flight(syn), 'tcp-reset').packet;
    expect(answer).toMatchObject({
      family: 'ipv4',
      protocol: 'tcp',
      protocolNumber: 6,
      src: '10.0.0.3',
      sport: 9080,
      dst: '10.0.0.2',
      dport: 40000,
      mark: 0,
      // 20 bytes of IP header and 20 of TCP header, no options.
      length: 40,
    });
    expect(answer.tcpFlags).toEqual({
      syn: false,
      ack: true,
      fin: false,
      rst: true,
      psh: false,
      urg: false,
    });
  });

  it('answers a segment that has ACK with a bare RST (its sequence number is that ACK)', () => {
    const ack = packet({
      tcpFlags: { syn: false, ack: true, fin: false, rst: false, psh: false, urg: false },
    });
    expect(rejectAnswer(flight(ack), 'tcp-reset').packet.tcpFlags).toMatchObject({
      rst: true,
      ack: false,
    });
  });

  it('is 60 bytes over IPv6 (40 of IPv6 header)', () => {
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00::3' });
    expect(rejectAnswer(flight(v6), 'tcp-reset').packet.length).toBe(60);
  });
});

describe('rejectAnswer with an ICMP error (icmp_send / icmp6_send)', () => {
  it('sends the type and code of each --reject-with value', () => {
    const codes = (kinds: string[], p: Packet) =>
      kinds.map((k) => {
        const a = rejectAnswer(flight(p), k).packet;
        return [a.protocol, a.icmpType, a.icmpCode].join(' ');
      });
    expect(
      codes(
        [
          'icmp-net-unreachable',
          'icmp-host-unreachable',
          'icmp-proto-unreachable',
          'icmp-port-unreachable',
          'icmp-net-prohibited',
          'icmp-host-prohibited',
          'icmp-admin-prohibited',
        ],
        syn,
      ),
    ).toEqual([
      'icmp 3 0',
      'icmp 3 1',
      'icmp 3 2',
      'icmp 3 3',
      'icmp 3 9',
      'icmp 3 10',
      'icmp 3 13',
    ]);
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00::3' });
    expect(
      codes(
        [
          'icmp6-no-route',
          'icmp6-adm-prohibited',
          'icmp6-addr-unreachable',
          'icmp6-port-unreachable',
          'icmp6-policy-fail',
          'icmp6-reject-route',
        ],
        v6,
      ),
    ).toEqual(['icmpv6 1 0', 'icmpv6 1 1', 'icmpv6 1 3', 'icmpv6 1 4', 'icmpv6 1 5', 'icmpv6 1 6']);
  });

  it('quotes the rejected packet as its tuple, from the address it was sent to', () => {
    const udp = packet({
      protocol: 'udp',
      src: '10.0.0.2',
      sport: 5000,
      dst: '10.0.0.3',
      dport: 53,
    });
    const a = rejectAnswer(flight(udp), 'icmp-port-unreachable').packet;
    expect(a).toMatchObject({
      src: '10.0.0.3',
      dst: '10.0.0.2',
      sport: 0,
      dport: 0,
      protocolNumber: 1,
    });
    expect(a.embedded).toEqual({
      protocol: 'udp',
      src: '10.0.0.2',
      dst: '10.0.0.3',
      sport: 5000,
      dport: 53,
    });
  });

  it('is the headers plus as much of the packet as fits in 576 bytes (IPv6: 1280)', () => {
    // IPv4: 20 IP + 8 ICMP, quoting up to 548 bytes; IPv6: 40 + 8, quoting up to 1232.
    const len = (p: Packet) => rejectAnswer(flight(p), 'icmp-port-unreachable').packet.length;
    expect(len({ ...syn, length: 60 })).toBe(88);
    expect(len({ ...syn, length: 1500 })).toBe(576);
    const v6 = packet({ family: 'ipv6', src: 'fd00::2', dst: 'fd00::3' });
    expect(len({ ...v6, length: 100 })).toBe(148);
    expect(len({ ...v6, length: 9000 })).toBe(1280);
  });
});

describe('the answer belongs to the rejected connection (nf_ct_attach)', () => {
  it('carries its entry in the reply direction, as RELATED, in its zone', () => {
    const f = flight(syn);
    const answer = rejectAnswer(f, 'icmp-port-unreachable');
    expect(answer.ct).toEqual({ entry: f.ct?.entry, direction: 'reply' });
    expect(answer).toMatchObject({ related: true, untracked: false, zone: 4 });
  });

  it('has no entry and is not related when the rejected packet had none', () => {
    const answer = rejectAnswer(flight(syn, false), 'tcp-reset');
    expect(answer.ct).toBeUndefined();
    expect(answer).toMatchObject({ related: false, untracked: true });
  });
});
