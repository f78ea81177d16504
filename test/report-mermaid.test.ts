/**
 * The report's flowcharts parse with Mermaid's own parser, the one GitHub and GitLab draw with.
 * `@mermaid-js/parser` has no flowchart grammar, so this is the `mermaid` package, which needs a
 * DOM (DOMPurify) even to parse: jsdom gives it one, no browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../source/io/read-snapshot.js';
import type { Scenario } from '../source/model/index.js';
import { flowchart } from '../source/trace/report/flowchart.js';
import { ruleLookup } from '../source/trace/rule-lookup.js';
import { bookinfoScenario } from '../source/world/scenarios/bookinfo.js';
import { simulate } from '../source/world/simulate.js';
import { ROOT } from './helpers/cli.js';

type Parse = (text: string) => Promise<{ diagramType: string }>;
let parse: Parse;

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text) as Promise<{ diagramType: string }>;
});

function snapshot(name: string): Scenario {
  const file = join(ROOT, `snapshots/${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`);
  return loaded.scenario;
}

const chart = (s: Scenario) => flowchart(simulate(s), ruleLookup(s.world.hosts)).join('\n');

describe('the report flowchart, read by Mermaid', () => {
  it.each([
    ['the built-in scenario', () => bookinfoScenario()],
    ['the what-if loop', () => snapshot('what-if-loop')],
  ])('parses for %s', async (_name, scenario) => {
    expect((await parse(chart(scenario()))).diagramType).toMatch(/^flowchart/);
  });

  it('would refuse a label whose quote is not escaped (the check can fail)', async () => {
    await expect(parse('flowchart TD\n  a["x"] -->|"y"z"| b\n')).rejects.toThrow();
  });
});
