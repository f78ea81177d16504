import { describe, expect, it } from 'vitest';
import { packet } from '../test-helpers.js';
import { ConntrackTable, invert, tupleOf, viewOf } from './conntrack.js';

const syn = packet({ src: '10.0.0.2', sport: 40000, dst: '10.0.0.3', dport: 9080 });
const replyOf = (p = syn) => ({ ...p, src: p.dst, dst: p.src, sport: p.dport, dport: p.sport });

describe('tuples', () => {
  it('take protocol, addresses and ports from a packet, and swap both ends when inverted', () => {
    const t = tupleOf(syn);
    expect(t).toEqual({
      protocol: 'tcp',
      src: '10.0.0.2',
      dst: '10.0.0.3',
      sport: 40000,
      dport: 9080,
    });
    expect(invert(t)).toEqual({
      protocol: 'tcp',
      src: '10.0.0.3',
      dst: '10.0.0.2',
      sport: 9080,
      dport: 40000,
    });
    expect(invert(invert(t))).toEqual(t);
  });
});

describe('ConntrackTable', () => {
  it('numbers entries per host, with the reply tuple the inverse of the original', () => {
    const ct = new ConntrackTable('pod');
    const a = ct.create(syn, 0);
    const b = ct.create(replyOf(), 0);
    expect([a.id, b.id]).toEqual(['pod#1', 'pod#2']);
    expect(a.reply).toEqual(invert(a.original));
    expect(a).toMatchObject({ confirmed: false, seenReply: false, mark: 0, zone: 0 });
  });

  it('knows an entry only once confirmed (__nf_conntrack_confirm), by either tuple', () => {
    const ct = new ConntrackTable('pod');
    const entry = ct.create(syn, 0);
    expect(ct.lookup(syn, 0)).toBeUndefined();
    ct.confirm(entry);
    ct.confirm(entry);
    expect(ct.lookup(syn, 0)).toEqual({ entry, direction: 'original' });
    expect(ct.lookup(replyOf(), 0)).toEqual({ entry, direction: 'reply' });
    expect(ct.lookup({ ...syn, sport: 40001 }, 0)).toBeUndefined();
    expect(ct.lookupTuple(tupleOf(syn), 1)).toBeUndefined();
  });

  it('re-keys a confirmed entry whose reply tuple NAT changed', () => {
    const ct = new ConntrackTable('pod');
    const entry = ct.create(syn, 0);
    ct.confirm(entry);
    const natted = { ...entry.reply, src: '127.0.0.1', sport: 15001 };
    ct.setReply(entry, natted);
    expect(ct.lookup(replyOf(), 0)).toBeUndefined();
    expect(ct.lookupTuple(natted, 0)).toEqual({ entry, direction: 'reply' });
    expect(ct.lookup(syn, 0)?.direction).toBe('original');
  });

  it('sets the reply tuple of an unconfirmed entry without putting it in the table', () => {
    const ct = new ConntrackTable('pod');
    const entry = ct.create(syn, 0);
    const natted = { ...entry.reply, src: '10.0.0.9' };
    ct.setReply(entry, natted);
    expect(entry.reply).toEqual(natted);
    expect(ct.lookupTuple(natted, 0)).toBeUndefined();
  });
});

describe('viewOf: the state a match sees (nf_conntrack_in, resolve_normal_ct)', () => {
  const fresh = () => new ConntrackTable('h').create(syn, 3);

  it('is NEW in the original direction until a reply was seen, then ESTABLISHED', () => {
    const entry = fresh();
    expect(viewOf(entry, 'original').state).toBe('NEW');
    entry.seenReply = true;
    expect(viewOf(entry, 'original').state).toBe('ESTABLISHED');
  });

  it('is ESTABLISHED for a packet in the reply direction (IP_CT_ESTABLISHED_REPLY)', () => {
    expect(viewOf(fresh(), 'reply').state).toBe('ESTABLISHED');
  });

  it('is RELATED for a related packet, UNTRACKED above all', () => {
    expect(viewOf(fresh(), 'reply', false, true).state).toBe('RELATED');
    expect(viewOf(fresh(), 'original', true, true).state).toBe('UNTRACKED');
  });

  it('lists the status bits that are set, in one fixed order', () => {
    const entry = fresh();
    expect(viewOf(entry, 'original').status).toEqual([]);
    entry.seenReply = true;
    entry.confirmed = true;
    entry.natApplied.add('dnat');
    entry.natApplied.add('snat');
    entry.mark = 0x539;
    const view = viewOf(entry, 'reply');
    expect(view.status).toEqual(['SEEN_REPLY', 'CONFIRMED', 'SNAT', 'DNAT']);
    expect(view).toMatchObject({ id: 'h#1', direction: 'reply', mark: 0x539, zone: 3 });
    expect(view.original).toBe(entry.original);
  });
});
