import { describe, expect, it } from 'vitest';
import type { Packet } from '../../model/index.js';
import { ConntrackTable } from './conntrack.js';
import { boundReply, manipIcmpError, manipOf, manipPacket } from './nat.js';

const syn: Packet = {
  family: 'ipv4',
  protocol: 'tcp',
  protocolNumber: 6,
  src: '10.0.0.2',
  dst: '10.0.0.3',
  sport: 40000,
  dport: 9080,
  length: 60,
  ttl: 64,
  mark: 0,
  fragment: false,
  pktType: 'unicast',
};

describe('NAT as a rewrite of the reply tuple', () => {
  it('maps hooks to manip types as HOOK2MANIP does', () => {
    expect(
      ['PREROUTING', 'OUTPUT', 'INPUT', 'POSTROUTING', 'FORWARD'].map((h) => manipOf(h as never)),
    ).toEqual(['dnat', 'dnat', 'snat', 'snat', undefined]);
  });

  it('REDIRECT in OUTPUT: the original direction goes to 127.0.0.1:15001, replies come back from 10.0.0.3:9080', () => {
    const ct = new ConntrackTable('pod');
    const entry = ct.create(syn, 0);
    ct.setReply(
      entry,
      boundReply(entry.reply, { kind: 'dnat', address: '127.0.0.1', port: 15001 }),
    );
    expect(entry.reply).toMatchObject({
      src: '127.0.0.1',
      sport: 15001,
      dst: '10.0.0.2',
      dport: 40000,
    });
    expect(manipPacket(syn, entry, 'original', 'dnat')).toMatchObject({
      dst: '127.0.0.1',
      dport: 15001,
    });
    // SNAT point for the original direction: nothing to do.
    expect(manipPacket(syn, entry, 'original', 'snat')).toBe(syn);
    const reply = { ...syn, src: '127.0.0.1', sport: 15001, dst: '10.0.0.2', dport: 40000 };
    expect(manipPacket(reply, entry, 'reply', 'snat')).toMatchObject({
      src: '10.0.0.3',
      sport: 9080,
    });
    expect(manipPacket(reply, entry, 'reply', 'dnat')).toBe(reply);
  });

  it('MASQUERADE: the source becomes the router, replies are sent back to the client', () => {
    const ct = new ConntrackTable('router');
    const entry = ct.create(syn, 0);
    ct.setReply(entry, boundReply(entry.reply, { kind: 'snat', address: '10.2.0.254' }));
    expect(manipPacket(syn, entry, 'original', 'snat')).toMatchObject({
      src: '10.2.0.254',
      sport: 40000,
    });
    const reply = { ...syn, src: '10.0.0.3', sport: 9080, dst: '10.2.0.254', dport: 40000 };
    expect(manipPacket(reply, entry, 'reply', 'dnat')).toMatchObject({
      dst: '10.0.0.2',
      dport: 40000,
    });
  });

  it('finds a confirmed entry by either tuple, in its zone only', () => {
    const ct = new ConntrackTable('pod');
    const entry = ct.create(syn, 2);
    expect(ct.lookup(syn, 2)).toBeUndefined();
    ct.confirm(entry);
    expect(ct.lookup(syn, 2)?.direction).toBe('original');
    expect(ct.lookup(syn, 0)).toBeUndefined();
    const reply = { ...syn, src: syn.dst, dst: syn.src, sport: syn.dport, dport: syn.sport };
    expect(ct.lookup(reply, 2)?.direction).toBe('reply');
  });

  describe('an ICMP error about a DNATed connection (nf_nat_icmp_reply_translation)', () => {
    // The client sent 10.0.0.2:40000 → ClusterIP 10.96.0.10:53, DNATed to 10.0.0.3:5353.
    const udp: Packet = {
      ...syn,
      protocol: 'udp',
      protocolNumber: 17,
      dst: '10.96.0.10',
      dport: 53,
    };
    const setup = () => {
      const ct = new ConntrackTable('client');
      const entry = ct.create(udp, 0);
      ct.setReply(
        entry,
        boundReply(entry.reply, { kind: 'dnat', address: '10.0.0.3', port: 5353 }),
      );
      entry.natApplied.add('dnat');
      return entry;
    };
    const error: Packet = {
      ...syn,
      protocol: 'icmp',
      protocolNumber: 1,
      src: '10.0.0.3',
      dst: '10.0.0.2',
      sport: 0,
      dport: 0,
      icmpType: 3,
      icmpCode: 3,
      embedded: { protocol: 'udp', src: '10.0.0.2', sport: 40000, dst: '10.0.0.3', dport: 5353 },
    };

    it('on the way back, rewrites the sender and the quoted destination to the ClusterIP', () => {
      const back = manipIcmpError(error, setup(), 'reply', 'snat');
      expect(back.src).toBe('10.96.0.10');
      expect(back.dst).toBe('10.0.0.2');
      expect(back.sport).toBe(0);
      expect(back.embedded).toEqual({ ...error.embedded, dst: '10.96.0.10', dport: 53 });
    });

    it('leaves it alone at a hook whose NAT the connection does not have', () => {
      expect(manipIcmpError(error, setup(), 'reply', 'dnat')).toBe(error);
    });

    it('leaves a packet that quotes nothing alone', () => {
      const { embedded: _, ...plain } = error;
      expect(manipIcmpError(plain, setup(), 'reply', 'snat')).toBe(plain);
    });
  });
});
