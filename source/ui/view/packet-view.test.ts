import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { fitPacketLines, packetLines } from './packet-lines.js';
import { packetView } from './packet-view.js';

const trace = simulate(bookinfoScenario());
/** The first NAT conntrack applies: the step that changes the packet's destination. */
const dnat = trace.steps.findIndex((s) => s.kind === 'conntrack' && s.changes.length > 0);

describe('the packet at a cursor', () => {
  it('describes the packet, its change and its conntrack entry', () => {
    const view = packetView(trace, dnat);
    expect(view?.changes).toEqual(['dst 10.0.0.2:9080 → 10.0.0.2:15006']);
    expect(view?.conntrack?.entry).toContain('NEW');
    expect(view?.details).toContain('sent by productpage uid 1000 gid 1000');
    expect(view?.flow[0]).toBe('tcp 10.0.0.1:40000 → 10.0.0.2:15006');
  });

  it('breaks only flows that do not fit, after their arrow', () => {
    const view = packetView(trace, dnat);
    if (!view) throw new Error('no packet view');
    const lines = packetLines(view);
    const orig = lines.find((l) => l.text === view.conntrack?.original);
    expect(orig?.flow).toBe(true);
    expect(lines.find((l) => l.text === view.conntrack?.entry)?.flow).toBeUndefined();
    const fitted = fitPacketLines(
      [{ text: 'tcp 10.0.0.1:40000 → 10.0.0.2:15006', flow: true }],
      20,
    );
    expect(fitted.map((l) => l.text)).toEqual(['tcp 10.0.0.1:40000 →', '  10.0.0.2:15006']);
    expect(fitPacketLines([{ text: 'a → b c d e f g h' }], 5)).toHaveLength(1);
  });
});
