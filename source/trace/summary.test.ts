import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../io/read-snapshot.js';
import type { Scenario } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { ruleLookup } from './rule-lookup.js';
import { summary, summaryItems } from './summary.js';
import { walkthrough } from './walkthrough.js';

function snapshot(name: string): Scenario {
  const file = join(import.meta.dirname, `../../snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`);
  return loaded.scenario;
}

function summaryOf(scenario: Scenario): string[] {
  return summary(simulate(scenario), ruleLookup(scenario.world.hosts));
}

describe('summary', () => {
  it('says every bookinfo connection was delivered, and why there is no loop', () => {
    const lines = summaryOf(bookinfoScenario());
    expect(lines[0]).toBe('Findings');
    const connections = lines.filter((l) => /^ {2}\d+\. /.test(l));
    expect(connections).toHaveLength(4);
    for (const l of connections)
      expect(l).toMatch(/: delivered to \w+ \(uid \d+\) on \S+:\d+ \[step \d+\]/);
    expect(connections[0]).toContain('delivered to envoy (uid 1337) on 0.0.0.0:15006');
    expect(connections[0]).toContain('envoy opens connection 2');
    expect(connections[1]).toContain('(opened for connection 1): delivered to reviews (uid 1000)');
    expect(lines).toContain(
      '  No loop: every connection a proxy opened (2) was let out and reached its destination.',
    );
    expect(lines.some((l) => l.startsWith('  Not simulated: nothing'))).toBe(true);
    expect(
      lines.some((l) => /Replies never enter nat.*conntrack translates them \[step \d+\]/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => /envoy opens a new connection.*\[step \d+\]/.test(l))).toBe(true);
  });

  it('shows the loop with its rounds and its rules by their text', () => {
    const lines = summaryOf(snapshot('what-if-loop'));
    const loop = lines.findIndex((l) => l.startsWith('  Loop: '));
    expect(lines[loop]).toBe(
      '  Loop: envoy on pod re-opens 10.0.0.3:9080 into its own listener (4 rounds) [step 287]',
    );
    expect(lines.slice(loop + 1, loop + 4)).toEqual([
      '    the rules on the cycle:',
      '      ISTIO_OUTPUT 7: -j ISTIO_REDIRECT',
      '      ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001',
    ]);
    expect(lines.some((l) => /^ {2}4\. .*packet \d+ looped on pod: .*\[step 287\]/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith('  No loop'))).toBe(false);
  });

  it('names the rule that rejected a connection by its text', () => {
    const lines = summaryOf(snapshot('router-forward-masquerade'));
    expect(
      lines.some((l) =>
        /^ {2}2\. .*: packet 9 \(SYN\) rejected on router by filter FORWARD 3: -i eth0 -o eth1 -p tcp -m tcp --dport 81 -j REJECT --reject-with tcp-reset: .*\[step \d+\]$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it('falls back to rule ids without a lookup', () => {
    const lines = summary(simulate(snapshot('what-if-loop')));
    expect(lines).toContain('      rule r15');
  });
});

describe('summary items', () => {
  it('are the lines nfdb run prints, two spaces a level', () => {
    const scenario = snapshot('what-if-loop');
    const trace = simulate(scenario);
    const rules = ruleLookup(scenario.world.hosts);
    expect(summaryItems(trace, rules).map((i) => `${'  '.repeat(i.indent)}${i.text}`)).toEqual(
      summary(trace, rules),
    );
  });

  it('point each connection, the loop, the stop and each lesson at the step the text names', () => {
    const scenario = snapshot('what-if-loop');
    const items = summaryItems(simulate(scenario), ruleLookup(scenario.world.hosts));
    const withStep = items.filter((i) => i.step !== undefined);
    expect(new Set(withStep.map((i) => i.section))).toEqual(
      new Set(['connections', 'loop', 'lessons']),
    );
    for (const i of withStep) expect(i.text).toContain(`[step ${i.step}]`);
    const loop = items.find((i) => i.text.startsWith('Loop: '));
    expect(loop).toMatchObject({ section: 'loop', indent: 1, step: 287 });
    const rules = items.filter((i) => i.section === 'loop' && i.indent === 3);
    expect(rules.map((i) => i.text)).toEqual([
      'ISTIO_OUTPUT 7: -j ISTIO_REDIRECT',
      'ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001',
    ]);
  });

  it('point a stop at a rule nfdb does not simulate at its step, the rule below it', () => {
    const parsed = parseRules(
      '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m physdev --bar 1 -j REDIRECT --to-ports 15001\nCOMMIT\n',
      { file: 'foo.rules' },
    );
    const base = bookinfoScenario();
    const hosts = base.world.hosts.map((h) =>
      h.rulesets.length > 0 ? { ...h, rulesets: parsed.rulesets } : h,
    );
    const scenario = { ...base, world: { ...base.world, hosts } };
    const items = summaryItems(simulate(scenario), ruleLookup(hosts));
    const notSimulated = items.filter((i) => i.section === 'not-simulated');
    expect(notSimulated[0]).toMatchObject({ text: 'Not simulated:', indent: 1 });
    expect(notSimulated[1]?.text).toMatch(
      /^-m physdev is not simulated: nfdb stopped there \[step \d+\]$/,
    );
    expect(notSimulated[1]?.text).toContain(`[step ${notSimulated[1]?.step}]`);
    expect(notSimulated[2]).toMatchObject({
      text: 'at OUTPUT 1: -p tcp -m physdev --bar 1 -j REDIRECT --to-ports 15001',
      indent: 3,
    });
  });

  it('give the plain "no loop" verdict no step to jump to', () => {
    const scenario = bookinfoScenario();
    const items = summaryItems(simulate(scenario), ruleLookup(scenario.world.hosts));
    const verdict = items.find((i) => i.text.startsWith('No loop: '));
    expect(verdict).toMatchObject({ section: 'loop', indent: 1 });
    expect(verdict?.step).toBeUndefined();
    expect(
      items.filter((i) => i.section === 'connections').every((i) => i.step !== undefined),
    ).toBe(true);
  });
});

describe('walkthrough', () => {
  it('opens and ends with the summary, and shows the loop finding step', () => {
    const scenario = snapshot('what-if-loop');
    const text = walkthrough(simulate(scenario), { rules: ruleLookup(scenario.world.hosts) });
    const lines = text.trimEnd().split('\n');
    const head = lines.indexOf('Findings');
    const brief = lines.indexOf('The path in brief (step numbers in brackets)');
    expect(head).toBeGreaterThan(0);
    expect(head).toBeLessThan(brief);
    expect(lines.lastIndexOf('Findings')).toBeGreaterThan(lines.indexOf('Every step'));
    expect(lines.slice(lines.lastIndexOf('Findings'))).toEqual(lines.slice(head, brief - 1));
    expect(text).toMatch(/^ +287 +pod +stop +loop: /m);
  });

  it('names decisive rules in the brief by their text', () => {
    const scenario = bookinfoScenario();
    const text = walkthrough(simulate(scenario), { rules: ruleLookup(scenario.world.hosts) });
    expect(text).toContain(
      'nat ISTIO_IN_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15006 (matches: REDIRECT)',
    );
  });
});
