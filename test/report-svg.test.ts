/**
 * The svg and html reports: Graphviz's drawing is well-formed XML (read by a real XML parser,
 * jsdom's, as image/svg+xml), names every host and every chain the drawn packets crossed, and
 * the html page holds the markdown's text and the same drawing. No format has a terminal escape.
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { reportText } from '../source/commands/report-text.js';
import type { Scenario, Trace } from '../source/model/index.js';
import { reportDocument } from '../source/trace/report/report-document.js';
import { ruleLookup } from '../source/trace/rule-lookup.js';
import { briefPackets } from '../source/trace/walkthrough.js';
import { bookinfoScenario } from '../source/world/scenarios/bookinfo.js';
import { simulate } from '../source/world/simulate.js';
import { nfdb } from './helpers/cli.js';
import { snapshot } from './helpers/snapshots.js';

const { DOMParser } = new JSDOM('').window;

function documentOf(scenario: Scenario) {
  const trace = simulate(scenario);
  const doc = reportDocument({
    trace,
    hosts: scenario.world.hosts,
    rules: ruleLookup(scenario.world.hosts),
    version: 'nfdb 9.9.9',
    command: 'nfdb run',
  });
  return { trace, doc };
}

async function text(scenario: Scenario, format: 'svg' | 'html' | 'markdown') {
  const { trace, doc } = documentOf(scenario);
  const made = await reportText(doc, format);
  if (!made.ok) throw new Error(made.message);
  return { trace, text: made.text };
}

/** The hosts and the `table chain` pairs of the packets the drawing shows. */
function drawnPlaces(trace: Trace): string[] {
  const drawn = briefPackets(trace);
  const places = new Set<string>();
  for (const s of trace.steps) {
    if (!drawn.has(s.packetId)) continue;
    places.add(s.host);
    if (s.kind === 'rule' || s.kind === 'policy') places.add(`${s.table.name} ${s.chain}`);
  }
  return [...places];
}

function parseSvg(svg: string) {
  const xml = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(xml.getElementsByTagName('parsererror')).toHaveLength(0);
  return xml;
}

const texts = (root: {
  getElementsByTagName(n: string): ArrayLike<{ textContent: string | null }>;
}) => Array.from(root.getElementsByTagName('text'), (t) => t.textContent ?? '').join('\n');

describe.each([
  ['the built-in scenario', () => bookinfoScenario()],
  ['the what-if loop', () => snapshot('what-if-loop')],
])('the svg report of %s', (_name, scenario) => {
  it('is well-formed XML, an svg that names every host and chain of the drawn path', async () => {
    const { trace, text: svg } = await text(scenario(), 'svg');
    const xml = parseSvg(svg);
    expect(xml.documentElement.tagName).toBe('svg');
    const written = texts(xml);
    const places = drawnPlaces(trace);
    expect(places.length).toBeGreaterThan(3);
    for (const place of places) expect(written).toContain(place);
  });
});

describe('the html report', () => {
  it('holds the findings as HTML and the drawing as svg, and parses as XML where it is svg', async () => {
    const { text: html } = await text(bookinfoScenario(), 'html');
    const page = new JSDOM(html).window.document;
    expect(page.querySelector('h3')?.textContent).toBe('Findings');
    expect(page.body.textContent).toContain('No loop: every connection a proxy opened');
    expect(page.querySelector('details summary')?.textContent).toBe(
      'The rules involved (iptables-save)',
    );
    expect(page.querySelector('figure svg')).not.toBeNull();
    // The svg as written (jsdom would serialise Graphviz's &#160; back as &nbsp;, not XML).
    parseSvg(html.slice(html.indexOf('<figure>\n') + 9, html.indexOf('\n</figure>')));
    expect(texts(page)).toContain('reviews PREROUTING');
  });
});

describe('every report format', () => {
  it.each(['markdown', 'svg', 'html'] as const)('%s holds no terminal escape', async (format) => {
    const { text: out } = await text(snapshot('what-if-loop'), format);
    expect(out).not.toContain('\u001b');
  });
});

describe('nfdb report --format', () => {
  it.each(['svg', 'html'])('%s prints the report on standard output', (format) => {
    const r = nfdb(['report', '--format', format]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(format === 'svg' ? '<svg' : '<!doctype html>');
    expect(r.stdout).toContain('reviews PREROUTING');
  });
});
