import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../io/read-snapshot.js';
import type { Scenario } from '../../model/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { ruleLookup } from '../rule-lookup.js';
import { flowchart, mermaidText } from './flowchart.js';
import { reportMarkdown } from './markdown.js';

function snapshot(name: string): Scenario {
  const file = join(import.meta.dirname, `../../../snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`);
  return loaded.scenario;
}

function report(scenario: Scenario): string {
  return reportMarkdown({
    trace: simulate(scenario),
    hosts: scenario.world.hosts,
    rules: ruleLookup(scenario.world.hosts),
    version: 'nfdb 9.9.9 (commit abc1234)',
    command: 'nfdb run',
  });
}

/** The lines of the first fenced block whose info string is `info`. */
function block(markdown: string, info: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^`{3,}/.test(l) && l.replace(/^`+/, '') === info);
  const fence = lines[start]?.match(/^`+/)?.[0] ?? '```';
  const end = lines.indexOf(fence, start + 1);
  return lines.slice(start + 1, end);
}

const NODE = /^ {2}[A-Za-z0-9_]+\["[^"]*"\]$/;
const EDGE = /^ {2}([A-Za-z0-9_]+) -->\|"[^"|]*"\| ([A-Za-z0-9_]+)$/;

describe('reportMarkdown of the default scenario', () => {
  const text = report(bookinfoScenario());

  it('says there is no loop and shows a reply skipping the nat table, with its step', () => {
    expect(text).toContain('- No loop');
    expect(text).toMatch(/\[23\] reviews OUTPUT: nat OUTPUT is not consulted/);
  });

  it('names the decisive rules by their text, at the step numbers nfdb run prints', () => {
    expect(text).toContain('[12] reviews PREROUTING: nat ISTIO_IN_REDIRECT 1: -p tcp -j REDIRECT');
  });

  it('collapses the rules involved into an iptables-save block, and ends with how to reproduce it', () => {
    const details = text.slice(text.indexOf('<details>'), text.indexOf('</details>'));
    expect(details).toContain('# host reviews');
    expect(details).toContain('-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006');
    expect(details).toContain('COMMIT');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Made with nfdb 9.9.9 (commit abc1234). To see every step: `nfdb run`',
    );
  });

  it('holds no terminal escape', () => {
    expect(text).not.toContain('\u001b');
  });

  it('draws a flowchart of declared nodes and labelled arrows between them', () => {
    const chart = block(text, 'mermaid');
    expect(chart[0]).toBe('flowchart TD');
    const nodes = chart.filter((l) => NODE.test(l));
    const edges = chart.filter((l) => EDGE.test(l));
    expect(nodes.length + edges.length).toBe(chart.length - 1);
    const declared = new Set(nodes.map((l) => l.trim().split('[')[0]));
    for (const e of edges) {
      const [, from, to] = e.match(EDGE) ?? [];
      expect(declared).toContain(from);
      expect(declared).toContain(to);
    }
    expect(chart.join('\n')).toContain('reviews PREROUTING<br/>nat PREROUTING');
    expect(chart.join('\n')).toMatch(
      /\[13\] conntrack DNAT: dst 10\.0\.0\.2:9080 → 10\.0\.0\.2:15006/,
    );
    expect(chart.join('\n')).toContain('ratings: ratings');
  });
});

describe('reportMarkdown of the what-if loop', () => {
  const scenario = snapshot('what-if-loop');
  const text = report(scenario);

  it('says there is a loop and names its rule by its text', () => {
    expect(text).not.toContain('- No loop');
    expect(text).toContain('- Loop: envoy on pod re-opens 10.0.0.3:9080 into its own listener');
    expect(text).toContain('    - ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001');
    const lines = flowchart(simulate(scenario), ruleLookup(scenario.world.hosts));
    expect(lines.every((l, i) => i === 0 || NODE.test(l) || EDGE.test(l))).toBe(true);
  });
});

describe('mermaidText', () => {
  it('writes quotes, brackets and pipes as entity codes Mermaid reads inside a label', () => {
    expect(mermaidText('-m comment --comment "a|b" <x> & y')).toBe(
      '-m comment --comment #quot;a#124;b#quot; #lt;x#gt; #amp; y',
    );
  });
});
