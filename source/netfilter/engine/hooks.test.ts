/**
 * One hook at a time (Hooks.run), on a host made by makeHost: the hook step's stages, conntrack
 * (nf_conntrack_in, __nf_conntrack_confirm), the nat table for a connection's first packet only
 * (nf_nat_inet_fn), and a table's DROP or REJECT ending the packet.
 */
import { describe, expect, it } from 'vitest';
import type { Hook, Packet, Step } from '../../model/index.js';
import { hostConfig, natText, packet, rulesetOf, saveText } from '../test-helpers.js';
import { type Flight, StepWriter } from './flight.js';
import { Hooks } from './hooks.js';
import { makeHost } from './host.js';
import { TraceRecorder } from './recorder.js';

const SETTINGS = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;

/** 10.0.0.2:40000 → 10.0.0.3:80, a SYN leaving the host (out of eth0). */
const SYN = packet({
  src: '10.0.0.2',
  dst: '10.0.0.3',
  sport: 40000,
  dport: 80,
  outInterface: 'eth0',
});

/** The answer from 10.0.0.9:8080 (where DNAT sent the SYN) coming in on eth0. */
const SYN_ACK = packet({
  src: '10.0.0.9',
  dst: '10.0.0.2',
  sport: 8080,
  dport: 40000,
  inInterface: 'eth0',
  tcpFlags: { syn: true, ack: true, fin: false, rst: false, psh: false, urg: false },
});

const NAT_DNAT = natText('-A OUTPUT -p tcp -d 10.0.0.3 -j DNAT --to-destination 10.0.0.9:8080');

const filter = (...lines: string[]) =>
  saveText('filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ...lines);

/** A host with these rules, and a way to run its hooks that keeps every step. */
function world(rules: string) {
  const host = makeHost(hostConfig({ rulesets: [rulesetOf(rules)] }));
  const rec = new TraceRecorder('hooks');
  const hooks = new Hooks(rec, SETTINGS, new StepWriter(rec));
  return {
    host,
    /** Runs the hooks in order for a new flight of `p`; stops at the first that ends it. */
    send(p: Packet, path: readonly Hook[]) {
      const flight: Flight = { packet: p, untracked: false, zone: 0 };
      const from = rec.finish([], []).steps.length;
      for (const hook of path) {
        const ended = hooks.run(host, hook, flight);
        if (ended) return { ended, flight, steps: rec.finish([], []).steps.slice(from) };
      }
      return { ended: undefined, flight, steps: rec.finish([], []).steps.slice(from) };
    },
  };
}

/** Conntrack steps as `HOOK event` plus the facts that differ between them. */
function events(steps: readonly Step[]): string[] {
  return steps.flatMap((s) => {
    if (s.kind !== 'conntrack') return [];
    const e = s.event;
    if (e.kind === 'found') return [`${s.hook} found ${e.direction} ${e.state}`];
    if (e.kind === 'nat-skipped')
      return [`${s.hook} nat-skipped ${e.manip} ${e.why} ${e.direction}`];
    if (e.kind === 'nat-applied') return [`${s.hook} nat-applied ${e.manip}`];
    return [`${s.hook} ${e.kind}`];
  });
}

const natRules = (steps: readonly Step[]) =>
  steps.filter((s) => (s.kind === 'rule' || s.kind === 'policy') && s.table.name === 'nat');

describe('the hook step', () => {
  it('lists the stages the hook runs, in priority order', () => {
    const { steps } = world(
      NAT_DNAT +
        saveText('raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]') +
        filter(':OUTPUT ACCEPT [0:0]'),
    ).send(SYN, ['OUTPUT']);
    const hook = steps[0];
    expect(hook?.kind).toBe('hook');
    expect(hook?.kind === 'hook' && hook.stages).toEqual([
      { kind: 'table', table: { family: 'ipv4', name: 'raw' } },
      { kind: 'conntrack' },
      { kind: 'table', table: { family: 'ipv4', name: 'nat' } },
      { kind: 'table', table: { family: 'ipv4', name: 'filter' } },
    ]);
  });
});

describe('conntrack at the hooks', () => {
  it('makes a NEW entry at OUTPUT and confirms it at POSTROUTING', () => {
    const { steps, flight } = world(filter(':OUTPUT ACCEPT [0:0]')).send(SYN, [
      'OUTPUT',
      'POSTROUTING',
    ]);
    expect(events(steps)).toEqual(['OUTPUT new', 'POSTROUTING confirmed']);
    expect(steps[1]?.conntrack?.state).toBe('NEW');
    expect(flight.ct?.entry.confirmed).toBe(true);
  });

  it('finds the entry again: the same direction NEW, the answer ESTABLISHED in reply', () => {
    const w = world(filter(':OUTPUT ACCEPT [0:0]'));
    w.send(SYN, ['OUTPUT', 'POSTROUTING']);
    // A retransmitted SYN: the entry has seen no reply yet.
    expect(events(w.send(SYN, ['OUTPUT', 'POSTROUTING']).steps)).toEqual([
      'OUTPUT found original NEW',
    ]);
    const answer = { ...SYN_ACK, src: '10.0.0.3', sport: 80 };
    const back = w.send(answer, ['PREROUTING', 'INPUT']);
    expect(events(back.steps)).toEqual(['PREROUTING found reply ESTABLISHED']);
    // Only the first packet confirms; the entry now says it saw a reply.
    expect(back.steps.at(-1)?.conntrack?.status).toEqual(['SEEN_REPLY', 'CONFIRMED']);
  });

  it('leaves a packet NOTRACK marked in raw untracked: no entry, no NAT, no confirmation', () => {
    // raw (NF_IP_PRI_RAW -300) runs before nf_conntrack_in (NF_IP_PRI_CONNTRACK -200).
    const raw = saveText(
      'raw',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      '-A OUTPUT -j NOTRACK',
    );
    const { steps, flight } = world(raw + NAT_DNAT).send(SYN, ['OUTPUT', 'POSTROUTING']);
    expect(events(steps)).toEqual(['OUTPUT untracked']);
    expect(natRules(steps)).toEqual([]);
    expect(flight.packet.dst).toBe('10.0.0.3');
    expect(flight.ct).toBeUndefined();
  });
});

describe('NAT at the hooks (nf_nat_inet_fn)', () => {
  it("walks the nat table for the connection's first packet and rewrites it", () => {
    const { steps, flight } = world(NAT_DNAT).send(SYN, ['OUTPUT', 'POSTROUTING']);
    expect(natRules(steps).map((s) => s.kind)).toEqual(['rule', 'policy']);
    expect(events(steps)).toEqual([
      'OUTPUT new',
      'OUTPUT nat-applied dnat',
      'POSTROUTING confirmed',
    ]);
    expect([flight.packet.dst, flight.packet.dport]).toEqual(['10.0.0.9', 8080]);
    expect(flight.ct?.entry.reply).toEqual({
      protocol: 'tcp',
      src: '10.0.0.9',
      sport: 8080,
      dst: '10.0.0.2',
      dport: 40000,
    });
  });

  it('skips the nat table for a later packet and applies the NAT the first one bound', () => {
    const w = world(NAT_DNAT);
    w.send(SYN, ['OUTPUT', 'POSTROUTING']);
    const again = w.send(SYN, ['OUTPUT', 'POSTROUTING']);
    // IP_CT_NEW with the manip already initialized (nf_nat_initialized): the table is not run.
    expect(natRules(again.steps)).toEqual([]);
    expect(events(again.steps)).toEqual([
      'OUTPUT found original NEW',
      'OUTPUT nat-skipped dnat decided original',
      'OUTPUT nat-applied dnat',
      'POSTROUTING nat-skipped snat decided original',
    ]);
    expect(again.flight.packet.dst).toBe('10.0.0.9');
  });

  it('gives a reply the reverse NAT without the nat table: not-first', () => {
    const w = world(NAT_DNAT);
    w.send(SYN, ['OUTPUT', 'POSTROUTING']);
    const back = w.send(SYN_ACK, ['PREROUTING', 'INPUT']);
    expect(natRules(back.steps)).toEqual([]);
    expect(events(back.steps)).toEqual([
      'PREROUTING found reply ESTABLISHED',
      'PREROUTING nat-skipped dnat not-first reply',
      'INPUT nat-skipped snat not-first reply',
      'INPUT nat-applied snat',
    ]);
    // The answer seems to come from where the SYN was sent.
    expect([back.flight.packet.src, back.flight.packet.sport]).toEqual(['10.0.0.3', 80]);
    expect(back.steps.at(-1)?.changes).toEqual([
      { field: 'src', before: '10.0.0.9:8080', after: '10.0.0.3:80' },
    ]);
  });
});

describe('a table ending the packet', () => {
  it('drops at a DROP policy: table-drop with the table and the hook', () => {
    const { ended, steps } = world(filter(':OUTPUT DROP [0:0]')).send(SYN, [
      'OUTPUT',
      'POSTROUTING',
    ]);
    expect(ended?.kind).toBe('dropped');
    const fate = steps.at(-1);
    expect(fate?.kind === 'fate' && [fate.fate, fate.reason]).toEqual([
      'dropped',
      { kind: 'table-drop', table: { family: 'ipv4', name: 'filter' }, hook: 'OUTPUT' },
    ]);
    // The packet never reached POSTROUTING, so its entry was never confirmed.
    expect(steps.filter((s) => s.kind === 'hook').length).toBe(1);
  });

  it('rejects at REJECT, with an answer to the sender', () => {
    const { ended, steps } = world(
      filter(':OUTPUT ACCEPT [0:0]', '-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset'),
    ).send(SYN, ['OUTPUT']);
    const fate = steps.at(-1);
    expect(fate?.kind === 'fate' && [fate.fate, fate.reason]).toEqual([
      'rejected',
      { kind: 'rejected', with: 'tcp-reset', to: '10.0.0.2' },
    ]);
    const answer = ended?.kind === 'rejected' ? ended.answer : undefined;
    expect(answer?.related).toBe(true);
    expect(answer?.packet).toMatchObject({
      src: '10.0.0.3',
      sport: 80,
      dst: '10.0.0.2',
      dport: 40000,
    });
    expect(answer?.packet.tcpFlags?.rst).toBe(true);
  });
});
