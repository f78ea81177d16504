import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../io/read-snapshot.js';
import type { Scenario } from '../../model/index.js';
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

  it("shows a reply's entry at its emit step: it is the connection's, not yet attached", () => {
    const emit = trace.steps.findIndex(
      (s) => s.kind === 'emit' && trace.packets[s.packetId - 1]?.direction === 'reply',
    );
    const ct = packetView(trace, emit)?.conntrack;
    expect(ct?.entry).toMatch(/^\S+#1 zone 0 mark 0x0: the connection's entry, not yet attached/);
    expect(ct?.original).toBe('orig  10.0.0.1:40000 → 10.0.0.2:9080');
    // The first packet of a connection has no entry before conntrack makes one.
    expect(packetView(trace, 0)?.conntrack).toBeUndefined();
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
    expect(fitPacketLines([{ text: 'a → bb cc' }], 5).map((l) => l.text)).toEqual([
      'a →',
      '  bb',
      '  cc',
    ]);
  });

  it('wraps a line that is not a flow at its spaces, and cuts one with a word too wide', () => {
    const status = { text: 'status SEEN_REPLY,CONFIRMED,DNAT' };
    expect(fitPacketLines([status], 29).map((l) => l.text)).toEqual([
      'status',
      '  SEEN_REPLY,CONFIRMED,DNAT',
    ]);
    expect(fitPacketLines([status], 20)).toEqual([status]);
  });
});

describe('the ipsets of the rule at the cursor', () => {
  const file = join(import.meta.dirname, '../../../snapshots/ambient-host-probe.json');
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const ambient = loaded.scenario;
  const atSetRule = (scenario: Scenario) => {
    const t = simulate(scenario);
    const at = t.steps.findIndex(
      (s) => (s.kind === 'rule' || s.kind === 'stop') && s.chain === 'ISTIO_POSTRT',
    );
    return packetView(t, at, scenario);
  };

  it('shows the set a -m set rule reads, with its members', () => {
    const view = atSetRule(ambient);
    expect(view?.sets).toEqual(['ipset istio-inpod-probes-v4 hash:ip: 10.244.1.5']);
    expect(view && packetLines(view).map((l) => l.text)).toContain(view?.sets[0]);
    expect(packetView(trace, dnat, bookinfoScenario())?.sets).toEqual([]);
  });

  it('says so where the host does not have the set', () => {
    const hosts = ambient.world.hosts.map((h) => ({ ...h, ipsets: undefined }));
    const without = { ...ambient, world: { ...ambient.world, hosts } };
    expect(atSetRule(without)?.sets).toEqual(['ipset istio-inpod-probes-v4: not in the scenario']);
  });
});
