/**
 * The report's flowcharts parse with Mermaid's own parser, the one GitHub and GitLab draw with.
 * `@mermaid-js/parser` has no flowchart grammar, so this is the `mermaid` package, which needs a
 * DOM (DOMPurify) even to parse: jsdom gives it one, no browser.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportOf, runOf } from '../source/commands/report-text.js';
import type { Scenario } from '../source/model/index.js';
import { parseEdit } from '../source/rules/edits/index.js';
import { flowchart } from '../source/trace/report/flowchart.js';
import { ruleLookup } from '../source/trace/rule-lookup.js';
import { bookinfoScenario } from '../source/world/scenarios/bookinfo.js';
import { simulate } from '../source/world/simulate.js';
import { editScenario } from '../source/world/what-if.js';
import { snapshot } from './helpers/snapshots.js';

type Parse = (text: string) => Promise<{ diagramType: string }>;
let parse: Parse;

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text) as Promise<{ diagramType: string }>;
});

const chart = (s: Scenario) => flowchart(simulate(s), ruleLookup(s.world.hosts)).join('\n');

describe('the report flowchart, read by Mermaid', () => {
  it.each([
    ['the built-in scenario', () => bookinfoScenario()],
    ['the what-if loop', () => snapshot('what-if-loop')],
  ])('parses for %s', async (_name, scenario) => {
    expect((await parse(chart(scenario()))).diagramType).toMatch(/^flowchart/);
  });

  it('parses two flowcharts side by side, with the first difference a thick arrow', async () => {
    const original = snapshot('sidecar-outbound');
    const parsed = parseEdit('-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN', 'ipv4');
    if (!parsed.ok) throw new Error('the edit does not parse');
    const edited = editScenario(original, [{ host: 'pod', edit: parsed.edit }]);
    if (!edited.ok) throw new Error(edited.message);
    const doc = reportOf(runOf(original), { run: runOf(edited.scenario), changes: [] }, 'nfdb');
    const text = doc.drawing.mermaid.join('\n');
    expect(text).toContain('==>');
    expect((await parse(text)).diagramType).toMatch(/^flowchart/);
  });

  it('would refuse a label whose quote is not escaped (the check can fail)', async () => {
    await expect(parse('flowchart TD\n  a["x"] -->|"y"z"| b\n')).rejects.toThrow();
  });
});
