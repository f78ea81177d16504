import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../io/read-snapshot.js';
import type { Scenario } from '../../model/index.js';
import { parseEdit } from '../../rules/edits/index.js';
import { simulate } from '../../world/simulate.js';
import { editScenario } from '../../world/what-if.js';
import { ruleLookup } from '../rule-lookup.js';
import { diffTraces, sameOutcome, type TraceDiff } from './index.js';

function snapshot(name: string): Scenario {
  const file = join(import.meta.dirname, `../../../snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`);
  return loaded.scenario;
}

function compare(scenario: Scenario, ...edits: string[]): TraceDiff {
  const parsed = edits.map((text) => {
    const p = parseEdit(text, 'ipv4');
    if (!p.ok) throw new Error(text);
    return { host: 'pod', edit: p.edit };
  });
  const edited = editScenario(scenario, parsed);
  if (!edited.ok) throw new Error(edited.message);
  return diffTraces(simulate(scenario), simulate(edited.scenario), {
    before: ruleLookup(scenario.world.hosts),
    after: ruleLookup(edited.scenario.world.hosts),
  });
}

describe('diffTraces', () => {
  it('finds nothing between a run and itself', () => {
    const s = snapshot('sidecar-outbound');
    const diff = compare(s, '-t nat -A PREROUTING -p udp -j RETURN');
    expect(diff.connections.every(sameOutcome)).toBe(true);
    expect(diff.connections.map((c) => c.firstDifference)).toEqual([undefined, undefined]);
    expect(diff.counters).toEqual([]);
    expect(diff.findings).toEqual({ added: [], removed: [] });
  });

  it('shows envoy’s connection looping once its uid and gid RETURNs are gone', () => {
    const diff = compare(
      snapshot('sidecar-outbound'),
      '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
      '-t nat -D ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN',
    );
    const [app, envoy] = diff.connections;
    expect(app?.key).toBe('traffic 1');
    expect(app?.outcomeBefore).toEqual(app?.outcomeAfter);
    expect(envoy?.key).toBe('traffic 1 > envoy 1');
    expect(envoy?.outcomeBefore).toMatchObject({ kind: 'delivered', process: 'other', port: 9080 });
    expect(envoy?.outcomeAfter).toMatchObject({ kind: 'delivered', process: 'envoy', port: 15001 });
    // Envoy's SYN: before, uid 1337's RETURN lets it out; after, ISTIO_REDIRECT takes it.
    expect(envoy?.firstDifference).toMatchObject({
      packet: 1,
      label: 'SYN',
      before: { fact: { kind: 'rule', chain: 'ISTIO_OUTPUT', verdict: 'return' } },
      after: { fact: { kind: 'rule', chain: 'ISTIO_OUTPUT', verdict: 'jump ISTIO_REDIRECT' } },
    });
    const last = diff.connections[diff.connections.length - 1];
    expect(last?.before).toBeUndefined();
    expect(diff.connections.some((c) => c.outcomeAfter.kind === 'looped')).toBe(true);
    const looped = diff.connections.find((c) => c.outcomeAfter.kind === 'looped');
    expect(looped?.outcomeAfter).toMatchObject({
      kind: 'looped',
      process: 'envoy',
      destination: '10.0.0.3:9080',
      rules: expect.arrayContaining([expect.objectContaining({ chain: 'ISTIO_REDIRECT' })]),
    });
    expect(diff.findings.added).toMatchObject([{ kind: 'loop', process: 'envoy' }]);
    expect(diff.findings.removed).toEqual([]);
    const redirect = diff.counters.find((c) => c.chain === 'ISTIO_REDIRECT');
    expect(redirect?.before.packets).toBe(1);
    expect(redirect?.after.packets).toBeGreaterThan(1);
  });

  it('names the rule that now drops, by its text', () => {
    const diff = compare(
      snapshot('sidecar-outbound'),
      '-t filter -I OUTPUT 1 -p tcp --dport 15001 -j DROP',
    );
    const [app] = diff.connections;
    expect(app?.outcomeAfter).toMatchObject({
      kind: 'dropped',
      rule: { table: 'filter', chain: 'OUTPUT', text: '-p tcp -m tcp --dport 15001 -j DROP' },
    });
    expect(diff.counters.some((c) => c.table === 'filter' && c.rule === 'e1')).toBe(true);
  });
});
