import { describe, expect, it } from 'vitest';
import { TRACE_VERSION } from '../../model/index.js';
import { packet } from '../test-helpers.js';
import { TraceRecorder } from './recorder.js';

const SYN = packet({ length: 60 });
const DATA = packet({ length: 160 });
const NAT = { family: 'ipv4', name: 'nat' } as const;

/** A TCP connection from curl on `client` to port `port` of 10.96.0.10: its id. */
function connect(rec: TraceRecorder, port = 80, traffic = 0): number {
  return rec.openConnection({
    protocol: 'tcp',
    fromHost: 'client',
    fromProcess: 'curl',
    to: { address: '10.96.0.10', port },
    traffic,
  });
}

/** A recorder with one connection from curl on `client`, its first packet begun. */
function recording() {
  const rec = new TraceRecorder('recorder test');
  const connection = connect(rec);
  rec.atHost('client');
  rec.beginPacket(connection, 'SYN', 'original', { process: 'curl', uid: 1000, gid: 1000 });
  return rec;
}

/** A rule step in OUTPUT of the nat table: matched when `miss` is undefined. */
function addRule(rec: TraceRecorder, ruleId: string, miss?: { why: string }) {
  return rec.addRule(
    'OUTPUT',
    NAT,
    'ipv4',
    'OUTPUT',
    ruleId,
    0,
    miss,
    miss ? undefined : { kind: 'accept' },
    undefined,
    [],
    SYN,
    [],
    undefined,
  );
}

describe('the trace recorder', () => {
  it('gives steps consecutive indexes, whichever way they are added', () => {
    const rec = recording();
    expect(rec.add({ kind: 'emit', label: 'SYN' }, { packet: SYN, conntrack: undefined })).toBe(0);
    expect(addRule(rec, 'r1', { why: 'no' })).toBe(1);
    expect(rec.add({ kind: 'wire', via: 'lo' }, { packet: SYN, conntrack: undefined })).toBe(2);
    const trace = rec.finish(['client'], []);
    expect(trace.steps.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('records each step under the host, packet and connection current when it was added', () => {
    const rec = recording();
    rec.add({ kind: 'emit', label: 'SYN' }, { packet: SYN, conntrack: undefined });
    rec.atHost('server');
    addRule(rec, 'r1');
    const second = connect(rec, 53, 1);
    rec.beginPacket(second, 'UDP 64B', 'original');
    rec.add({ kind: 'wire', via: 'lo' }, { packet: DATA, conntrack: undefined });
    const trace = rec.finish(['client', 'server'], []);
    expect(trace.steps.map((s) => [s.host, s.packetId, s.connectionId])).toEqual([
      ['client', 1, 1],
      ['server', 1, 1],
      ['server', 2, 2],
    ]);
  });

  it('records a step outside any packet under packet and connection 0', () => {
    const rec = new TraceRecorder('none');
    rec.add({ kind: 'wire', via: 'lo' }, { packet: SYN, conntrack: undefined });
    expect(rec.finish([], []).steps[0]).toMatchObject({ packetId: 0, connectionId: 0, host: '' });
  });

  it("moves a counter only for a matched rule, by one packet and the packet's length", () => {
    const rec = recording();
    addRule(rec, 'r1', { why: 'destination is elsewhere' });
    addRule(rec, 'r2');
    const [missed, matched] = rec.finish(['client'], []).steps;
    expect(missed?.counters).toEqual([]);
    expect(matched?.counters).toEqual([
      {
        host: 'client',
        family: 'ipv4',
        table: 'nat',
        chain: 'OUTPUT',
        rule: 'r2',
        packets: 1,
        bytes: 60,
      },
    ]);
  });

  it("moves a policy's counter with the packet's length, and none for a step without one", () => {
    const rec = recording();
    const counter = { family: 'ipv4', table: 'nat', chain: 'OUTPUT', rule: 'policy' } as const;
    const facts = { kind: 'policy', hook: 'OUTPUT', table: NAT, chain: 'OUTPUT' } as const;
    rec.add({ ...facts, policy: 'ACCEPT' }, { packet: DATA, conntrack: undefined, counter });
    rec.add({ kind: 'wire', via: 'lo' }, { packet: DATA, conntrack: undefined });
    const [policy, wire] = rec.finish(['client'], []).steps;
    expect(policy?.counters).toEqual([{ host: 'client', ...counter, packets: 1, bytes: 160 }]);
    expect(wire?.counters).toEqual([]);
  });

  it("keeps a step's facts, scene and changes", () => {
    const rec = recording();
    const changes = [{ field: 'dst', before: '10.96.0.10:80', after: '10.0.0.3:8080' }] as const;
    const stack = [{ table: 'nat', chain: 'OUTPUT', ruleIndex: 2 }];
    rec.add(
      { kind: 'hook', hook: 'OUTPUT', stages: [{ kind: 'conntrack' }] },
      {
        packet: DATA,
        conntrack: undefined,
        changes,
        stack,
      },
    );
    expect(rec.finish(['client'], []).steps[0]).toEqual({
      kind: 'hook',
      index: 0,
      host: 'client',
      packetId: 1,
      connectionId: 1,
      hook: 'OUTPUT',
      stages: [{ kind: 'conntrack' }],
      stack,
      packet: DATA,
      changes,
      conntrack: undefined,
      counters: [],
    });
  });

  it('finishes with the version, the connections and each packet with its first and last step', () => {
    const rec = recording();
    rec.add({ kind: 'emit', label: 'SYN' }, { packet: SYN, conntrack: undefined });
    addRule(rec, 'r1');
    rec.endPacket('delivered');
    rec.beginPacket(1, 'SYN-ACK', 'reply');
    rec.add({ kind: 'emit', label: 'SYN-ACK' }, { packet: SYN, conntrack: undefined });
    rec.add({ kind: 'wire', via: 'lo' }, { packet: SYN, conntrack: undefined });
    rec.add({ kind: 'wire', via: 'lo' }, { packet: SYN, conntrack: undefined });
    rec.endPacket('dropped');
    const baseline = [
      {
        host: 'client',
        family: 'ipv4',
        table: 'nat',
        chain: 'OUTPUT',
        rule: 'r1',
        counters: { packets: 5, bytes: 300 },
      },
    ] as const;
    const trace = rec.finish(['client'], baseline);
    expect(trace.version).toBe(TRACE_VERSION);
    expect(trace.version).toBe(3);
    expect(trace.scenario).toBe('recorder test');
    expect(trace.hosts).toEqual(['client']);
    expect(trace.baseline).toEqual(baseline);
    expect(trace.connections.map((c) => [c.id, c.fromProcess])).toEqual([[1, 'curl']]);
    expect(trace.packets).toEqual([
      {
        id: 1,
        connectionId: 1,
        label: 'SYN',
        direction: 'original',
        firstStep: 0,
        lastStep: 1,
        fate: 'delivered',
        sender: { process: 'curl', uid: 1000, gid: 1000 },
      },
      {
        id: 2,
        connectionId: 1,
        label: 'SYN-ACK',
        direction: 'reply',
        firstStep: 2,
        lastStep: 4,
        fate: 'dropped',
        sender: undefined,
      },
    ]);
  });

  it('gives a packet with no step of its own its first step as its last', () => {
    const rec = recording();
    rec.add({ kind: 'emit', label: 'SYN' }, { packet: SYN, conntrack: undefined });
    rec.endPacket('delivered');
    rec.beginPacket(1, 'ACK', 'original');
    rec.endPacket('lost');
    const [, empty] = rec.finish(['client'], []).packets;
    expect([empty?.firstStep, empty?.lastStep, empty?.fate]).toEqual([1, 1, 'lost']);
  });

  it('names the connection of the packet being recorded', () => {
    const rec = new TraceRecorder('none');
    expect(rec.currentConnection).toBeUndefined();
    const first = connect(rec, 1);
    const second = connect(rec, 2);
    expect([first, second]).toEqual([1, 2]);
    rec.beginPacket(first, 'SYN', 'original');
    expect(rec.currentConnection).toBe(1);
    rec.beginPacket(second, 'SYN', 'original');
    expect(rec.currentConnection).toBe(2);
  });

  it('keeps findings in the order found', () => {
    const rec = recording();
    const finding = {
      kind: 'not-simulated',
      reason: { kind: 'missing-chain', chain: 'NOPE' },
      steps: [3],
      rules: ['r9'],
    } as const;
    rec.find(finding);
    expect(rec.finish([], []).findings).toEqual([finding]);
  });

  it('makes the baseline when it is first read, once, and prints it as an array', () => {
    const rec = recording();
    let made = 0;
    const row = {
      host: 'client',
      family: 'ipv4',
      table: 'nat',
      chain: 'OUTPUT',
      rule: 'policy',
      counters: { packets: 1, bytes: 60 },
    } as const;
    const trace = rec.finish(['client'], () => {
      made++;
      return [row];
    });
    expect(made).toBe(0);
    expect(JSON.parse(JSON.stringify(trace)).baseline).toEqual([row]);
    expect(trace.baseline).toEqual([row]);
    expect(made).toBe(1);
  });
});

describe('spans of rules passed over', () => {
  const passed = (ruleId: string) =>
    ({ ruleId, why: '-d 10.1.1.1/32: destination is ', field: 'dst' }) as const;
  const pass = (rec: TraceRecorder, index: number, ruleId: string, chain = 'OUTPUT', p = SYN) =>
    rec.passRule('OUTPUT', NAT, chain, index, passed(ruleId), [], p, undefined);

  it('grows one step while the rules passed follow each other in one chain', () => {
    const rec = recording();
    expect([pass(rec, 0, 'r1'), pass(rec, 1, 'r2'), pass(rec, 2, 'r3')]).toEqual([0, 0, 0]);
    const [span, ...rest] = rec.finish(['client'], []).steps;
    expect(rest).toEqual([]);
    expect(span?.kind === 'span' && [span.ruleIndex, span.passed.map((p) => p.ruleId)]).toEqual([
      0,
      ['r1', 'r2', 'r3'],
    ]);
    expect(span?.counters).toEqual([]);
  });

  it('extends only the open span, and says so: otherwise nothing is recorded', () => {
    const rec = recording();
    expect(rec.extendSpan(NAT, 'OUTPUT', 0, passed('r1'), SYN)).toBe(false);
    pass(rec, 0, 'r1');
    expect(rec.extendSpan(NAT, 'OUTPUT', 1, passed('r2'), SYN)).toBe(true);
    expect(rec.extendSpan(NAT, 'OUTPUT', 3, passed('r4'), SYN)).toBe(false);
    expect(rec.extendSpan(NAT, 'KUBE-SERVICES', 2, passed('r3'), SYN)).toBe(false);
    expect(rec.extendSpan(NAT, 'OUTPUT', 2, passed('r3'), DATA)).toBe(false);
    const steps = rec.finish(['client'], []).steps;
    expect(steps.map((s) => (s.kind === 'span' ? s.passed.map((p) => p.ruleId) : s.kind))).toEqual([
      ['r1', 'r2'],
    ]);
  });

  it('begins a new span after another step, in another chain, at a gap or for a new packet', () => {
    const rec = recording();
    pass(rec, 0, 'r1');
    addRule(rec, 'r2');
    pass(rec, 2, 'r3');
    pass(rec, 0, 'r7', 'KUBE-SERVICES');
    pass(rec, 5, 'r8', 'KUBE-SERVICES');
    pass(rec, 6, 'r9', 'KUBE-SERVICES', DATA);
    rec.beginPacket(1, 'ACK', 'original');
    pass(rec, 7, 'r10', 'KUBE-SERVICES', DATA);
    const steps = rec.finish(['client'], []).steps;
    expect(steps.map((s) => (s.kind === 'span' ? s.passed.map((p) => p.ruleId) : s.kind))).toEqual([
      ['r1'],
      'rule',
      ['r3'],
      ['r7'],
      ['r8'],
      ['r9'],
      ['r10'],
    ]);
  });
});
