import { describe, expect, it } from 'vitest';
import { parseEdit } from '../../rules/edits/index.js';
import { diffTraces } from '../../trace/diff/index.js';
import { ruleLookup } from '../../trace/rule-lookup.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { editScenario } from '../../world/what-if.js';
import { sideBySideLines } from './compare-side.js';

const UID = '-m owner --uid-owner 1337 -j RETURN';
const GID = '-m owner --gid-owner 1337 -j RETURN';

/** The built-in scenario without envoy's uid RETURN: its gid RETURN lets it out instead. */
function withoutUid() {
  const scenario = bookinfoScenario();
  const parsed = parseEdit('-t nat -D ISTIO_OUTPUT 4', 'ipv4');
  if (!parsed.ok) throw new Error('edit');
  const edited = editScenario(scenario, [{ host: 'reviews', edit: parsed.edit }]);
  if (!edited.ok) throw new Error(edited.message);
  const before = simulate(scenario);
  const after = simulate(edited.scenario);
  const rules = {
    before: ruleLookup(scenario.world.hosts),
    after: ruleLookup(edited.scenario.world.hosts),
  };
  return { before, after, rules, diff: diffTraces(before, after, rules) };
}

describe('the compare view side by side', () => {
  const { before, after, rules, diff } = withoutUid();

  it('sets the two paths in columns around where they part, the parting row marked ≠', () => {
    const lines = sideBySideLines(diff.connections, before, after, rules, 200);
    expect(lines[0]).toBe('traffic 2 > envoy 1 (envoy@reviews → 10.0.0.3:9080), packet 1:');
    expect(lines[1]).toMatch(/^ {4}original +what-if$/);
    const parting = lines.filter((l) => l.startsWith('  ≠ '));
    expect(parting[0]).toContain(`ISTIO_OUTPUT 4: ${UID} → RETURN`);
    expect(parting[0]).toContain(`ISTIO_OUTPUT 6: ${GID} → RETURN`);
    // Agreeing rows come before the parting one: the hook it entered.
    expect(lines[2]).toMatch(/^ {2}= reviews enters OUTPUT/);
  });

  it('gives a parting row whole below it when its columns cut it', () => {
    const lines = sideBySideLines(diff.connections, before, after, rules, 120);
    const at = lines.findIndex((l) => l.startsWith('  ≠ '));
    expect(lines[at]).toContain('…');
    expect(lines[at + 1]).toBe(
      `      original: reviews OUTPUT nat ISTIO_OUTPUT 4: ${UID} → RETURN`,
    );
    expect(lines[at + 2]).toBe(
      `      what-if:  reviews OUTPUT nat ISTIO_OUTPUT 6: ${GID} → RETURN`,
    );
    const wide = sideBySideLines(diff.connections, before, after, rules, 200);
    expect(wide[wide.findIndex((l) => l.startsWith('  ≠ ')) + 1]).not.toContain('original:');
  });

  it('puts one above the other on a narrow screen, without cutting the rules', () => {
    const lines = sideBySideLines(diff.connections, before, after, rules, 80);
    const at = lines.findIndex((l) => l.startsWith('  ≠ original: '));
    expect(lines[at]).toContain(`ISTIO_OUTPUT 4: ${UID} → RETURN`);
    expect(lines[at + 1]).toMatch(/^ {4}what-if: {2}reviews OUTPUT nat ISTIO_OUTPUT 6: /);
  });

  it('says nothing of connections whose paths are the same', () => {
    const same = diffTraces(before, before, { before: rules.before, after: rules.before });
    expect(sideBySideLines(same.connections, before, before, rules, 160)).toEqual([]);
  });
});
