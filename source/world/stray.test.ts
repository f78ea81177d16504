/**
 * A traffic item's stray segment, on the drop-invalid snapshot's unguarded pod: what conntrack
 * makes of it decides whether the app's RST resets the client.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../io/read-scenario.js';
import type { Scenario, StraySegment } from '../model/index.js';
import { connectionOutcome } from '../trace/summary.js';
import { simulate } from './simulate.js';
import { snapshot } from './test-helpers.js';

/** Connection 1 of drop-invalid (client → pod:9080) with this stray, the pod's sysctls set. */
function first(stray: StraySegment, tcpBeLiberal?: boolean): Scenario {
  const s = snapshot('drop-invalid');
  const [item] = s.traffic;
  if (!item) throw new Error('no traffic');
  const hosts = s.world.hosts.map((h) =>
    h.name === 'pod' && tcpBeLiberal !== undefined ? { ...h, conntrack: { tcpBeLiberal } } : h,
  );
  return { world: { ...s.world, hosts }, traffic: [{ ...item, stray }] };
}

function run(scenario: Scenario) {
  const trace = simulate(scenario);
  const labels = trace.packets.filter((p) => p.connectionId === 1).map((p) => p.label);
  return { outcome: connectionOutcome(trace, 1)?.kind, labels };
}

describe('a stray segment on a sidecar pod', () => {
  it('out of window: INVALID, to the app, whose RST resets the client; no FIN follows', () => {
    const { outcome, labels } = run(first('out-of-window'));
    expect(outcome).toBe('reset');
    expect(labels.slice(-2)).toEqual(['DATA 1000B out-of-window', 'RST']);
  });

  it("ACKing unseen data: the app's RST carries that wrong number, the client keeps its connection", () => {
    const { outcome, labels } = run(first('unseen-ack'));
    expect(outcome).toBe('ended');
    expect(labels).toContain('RST');
    expect(labels.at(-1)).toBe('ACK');
  });

  it('an old retransmission keeps its entry: envoy gets it and answers an ACK', () => {
    const { outcome, labels } = run(first('old-retransmission'));
    expect(outcome).toBe('delivered');
    expect(labels).not.toContain('RST');
    expect(labels.slice(-5, -3)).toEqual(['DATA 1000B old-retransmission', 'ACK']);
  });

  it('with nf_conntrack_tcp_be_liberal=1 on the pod, the out-of-window segment reaches envoy', () => {
    const { outcome, labels } = run(first('out-of-window', true));
    expect(outcome).toBe('delivered');
    expect(labels).not.toContain('RST');
  });
});

describe('the stray field', () => {
  it('is refused on a UDP item, with its path', () => {
    const text = JSON.stringify({
      hosts: [{ name: 'a', processes: [{ kind: 'client', name: 'c', uid: 1, gid: 1 }] }],
      traffic: [
        {
          fromHost: 'a',
          process: 'c',
          to: { address: '10.0.0.2', port: 53 },
          protocol: 'udp',
          stray: 'out-of-window',
        },
      ],
    });
    const loaded = loadScenarioText(text, 'x.json');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok)
      expect(loaded.errors.join('\n')).toContain('traffic[0].stray: expected a TCP item');
  });
});
