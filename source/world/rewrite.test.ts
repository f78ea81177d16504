import { describe, expect, it } from 'vitest';
import type { Scenario, Step, StepOf, Trace } from '../model/index.js';
import { withProxyMode } from './proxy-mode.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';
import { snapshot } from './test-helpers.js';

function withLoopLimit(scenario: Scenario, loopLimit: number): Scenario {
  const settings = { ...scenario.world.settings, loopLimit };
  return { ...scenario, world: { ...scenario.world, settings } };
}

const stepsOf = (t: Trace, packetId: number): Step[] =>
  t.steps.filter((s) => s.packetId === packetId);

const rewrites = (t: Trace) =>
  t.steps.filter(
    (s): s is StepOf<'process'> => s.kind === 'process' && s.event.kind === 'rewrites',
  );

/** The packets envoy sent again: the emit steps it is the sender of. */
const rewrittenPackets = (t: Trace) => t.packets.filter((p) => p.sender?.process === 'envoy');

function conntrackAt(steps: readonly Step[], hook: string) {
  return steps.filter((s): s is StepOf<'conntrack'> => s.kind === 'conntrack' && s.hook === hook);
}

describe('envoy rewriting an outbound packet (the what-if-rewrite snapshot)', () => {
  const scenario = snapshot('what-if-rewrite');
  const trace = simulate(scenario);
  const [client, again] = trace.packets;

  it('sends the packet again as its own: destination back to the original, source unchanged', () => {
    expect(again?.sender).toEqual({ process: 'envoy', uid: 1337, gid: 1337 });
    const emit = trace.steps[again?.firstStep ?? -1];
    const first = trace.steps[client?.firstStep ?? -1];
    expect(emit?.kind).toBe('emit');
    expect(emit?.packet).toMatchObject({
      src: first?.packet.src,
      sport: first?.packet.sport,
      dst: '10.0.0.3',
      dport: 9080,
    });
    expect(rewrites(trace)[0]?.event).toMatchObject({
      side: 'outbound',
      port: 15001,
      original: { address: '10.0.0.3', port: 9080 },
      by: 'SO_ORIGINAL_DST',
    });
  });

  it("is found by conntrack in the original direction of the app's own entry", () => {
    const entry = stepsOf(trace, client?.id ?? 0).find((s) => s.conntrack)?.conntrack;
    const [lookup] = conntrackAt(stepsOf(trace, again?.id ?? 0), 'OUTPUT');
    expect(lookup?.event).toEqual({
      kind: 'found',
      direction: 'original',
      original: entry?.original,
      state: 'NEW',
    });
    expect(lookup?.conntrack?.id).toBe(entry?.id);
  });

  it('does not consult nat OUTPUT: the DNAT decided on the first packet applies again', () => {
    const steps = stepsOf(trace, again?.id ?? 0);
    const natRules = steps.filter(
      (s) => (s.kind === 'rule' || s.kind === 'policy') && s.table.name === 'nat',
    );
    expect(natRules).toEqual([]);
    const events = conntrackAt(steps, 'OUTPUT').map((s) => s.event);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'nat-skipped', manip: 'dnat', why: 'decided' }),
    );
    expect(events).toContainEqual({ kind: 'nat-applied', manip: 'dnat' });
    const delivered = steps.find((s) => s.kind === 'socket');
    expect(delivered).toMatchObject({ process: 'envoy', local: { port: 15001 } });
  });

  it('ends the loop after the loop limit with a finding that names the entry', () => {
    const loop = trace.findings.find((f) => f.kind === 'loop');
    const entry = stepsOf(trace, client?.id ?? 0).find((s) => s.conntrack)?.conntrack?.id;
    expect(loop).toMatchObject({
      host: 'pod',
      process: 'envoy',
      destination: '10.0.0.3:9080',
      rounds: scenario.world.settings.loopLimit + 1,
      cause: { kind: 'rewritten-packet-matches-entry', entry },
    });
    const stop = trace.steps[loop?.steps[0] ?? -1];
    expect(stop).toMatchObject({ kind: 'stop', reason: { kind: 'loop', cause: loop?.cause } });
    expect(rewrites(trace)).toHaveLength(scenario.world.settings.loopLimit);
    expect(loop?.kind === 'loop' && loop.rules.length).toBeGreaterThan(0);
  });

  it('counts its rounds from the settings', () => {
    const once = simulate(withLoopLimit(scenario, 1));
    expect(once.findings.find((f) => f.kind === 'loop')).toMatchObject({ rounds: 2 });
    expect(rewrittenPackets(once)).toHaveLength(1);
  });

  it('says once that the trace rests on a hypothesis with no kernel to compare with', () => {
    const said = trace.findings.filter((f) => f.kind === 'hypothesis');
    expect(said).toEqual([
      {
        kind: 'hypothesis',
        hypothesis: 'proxy-rewrites-packets',
        host: 'pod',
        process: 'envoy',
        steps: [rewrites(trace)[0]?.index],
      },
    ]);
  });

  it('is not the default: envoy terminates unless the mode says rewrite', () => {
    const plain = snapshot('sidecar-outbound');
    const terminate = simulate(plain);
    expect(simulate(withProxyMode(plain, 'terminate'))).toEqual(terminate);
    expect(terminate.findings).toEqual([]);
    expect(rewrites(terminate)).toEqual([]);
    expect(simulate(withProxyMode(plain, 'rewrite')).findings.map((f) => f.kind)).toEqual([
      'hypothesis',
      'loop',
    ]);
  });
});

describe('envoy rewriting an inbound packet (bookinfo, reviews sidecar)', () => {
  const trace = simulate(withProxyMode(bookinfoScenario(), 'rewrite'));

  it('meets the entry its PREROUTING REDIRECT made, in OUTPUT, and is sent back to 15006', () => {
    const [first] = rewrittenPackets(trace);
    const steps = stepsOf(trace, first?.id ?? 0);
    expect(steps[0]?.packet).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', dport: 9080 });
    const [lookup] = conntrackAt(steps, 'OUTPUT');
    expect(lookup?.event).toMatchObject({ kind: 'found', direction: 'original' });
    expect(steps.find((s) => s.kind === 'socket')).toMatchObject({ local: { port: 15006 } });
    expect(trace.findings.find((f) => f.kind === 'loop')).toMatchObject({
      host: 'reviews',
      destination: '10.0.0.2:9080',
      cause: { kind: 'rewritten-packet-matches-entry', entry: lookup?.conntrack?.id },
    });
  });

  it('never reaches the app, and opens no connection', () => {
    expect(trace.steps.some((s) => s.kind === 'socket' && s.process === 'reviews')).toBe(false);
    expect(trace.connections.every((c) => c.parent === undefined)).toBe(true);
  });
});

describe('envoy rewriting under TPROXY', () => {
  const trace = simulate(withProxyMode(snapshot('tproxy-inbound'), 'rewrite'));

  it('reaches the app, whose reply the connmark routes back to lo, where nothing takes it', () => {
    const [again] = rewrittenPackets(trace);
    const steps = stepsOf(trace, again?.id ?? 0);
    expect(conntrackAt(steps, 'OUTPUT')[0]?.event).toMatchObject({
      kind: 'found',
      direction: 'original',
    });
    expect(steps[0]?.packet.mark).toBe(0x539);
    expect(steps.find((s) => s.kind === 'socket')).toMatchObject({ process: 'app' });
    const reply = trace.packets.find((p) => p.direction === 'reply');
    expect(reply).toMatchObject({ label: 'SYN-ACK', fate: 'refused' });
    const fate = stepsOf(trace, reply?.id ?? 0).find((s) => s.kind === 'fate');
    expect(fate).toMatchObject({ reason: { kind: 'nothing-listens', dst: '10.0.0.1' } });
    expect(trace.findings.slice(1)).toEqual([
      {
        kind: 'rewritten-reply-lost',
        host: 'pod',
        process: 'envoy',
        connection: 1,
        label: 'SYN-ACK',
        steps: [fate?.index],
      },
    ]);
  });
});
