/**
 * The what-if report: the original run and the edited one compared. Taking envoy's uid and gid
 * exclusions out of the sidecar's outbound rules makes the loop; the report names the rules on
 * the cycle by their text, draws both paths side by side and marks the first difference in
 * words on both drawings (Mermaid and Graphviz).
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { reportOf, reportText, runOf } from '../source/commands/report-text.js';
import { parseEdit } from '../source/rules/edits/index.js';
import { markdownOf } from '../source/trace/report/markdown.js';
import { editScenario } from '../source/world/what-if.js';
import { nfdb } from './helpers/cli.js';
import { snapshot } from './helpers/snapshots.js';

const EDITS = [
  '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
  '-t nat -D ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN',
];

function loopReport() {
  const original = snapshot('sidecar-outbound');
  const edits = EDITS.map((text) => {
    const parsed = parseEdit(text, 'ipv4');
    if (!parsed.ok) throw new Error(text);
    return { host: 'pod', edit: parsed.edit };
  });
  const edited = editScenario(original, edits);
  if (!edited.ok) throw new Error(edited.message);
  return reportOf(
    runOf(original),
    { run: runOf(edited.scenario), changes: EDITS.map((e) => `pod: iptables ${e}`) },
    'nfdb run --compare',
  );
}

describe('the what-if report of the loop', () => {
  const doc = loopReport();
  const markdown = markdownOf(doc);

  it('names the rules on the cycle by their text', () => {
    expect(markdown).toContain(
      'the rules on the cycle: nat ISTIO_OUTPUT: -j ISTIO_REDIRECT; nat ISTIO_REDIRECT: -p tcp -j REDIRECT --to-ports 15001',
    );
    expect(markdown).toContain('    - ISTIO_OUTPUT 7: -j ISTIO_REDIRECT');
  });

  it('says what changed and where the paths first part, in both runs, with their steps', () => {
    expect(markdown).toContain(
      '- `pod: iptables -t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN`',
    );
    expect(markdown).toContain(
      '- the original run: pod OUTPUT nat ISTIO_OUTPUT 4: -m owner --uid-owner 1337 -j RETURN → RETURN [step 78]',
    );
    expect(markdown).toContain(
      '- the what-if: pod OUTPUT nat ISTIO_OUTPUT 7: -j ISTIO_REDIRECT → jump ISTIO_REDIRECT [step 78]',
    );
  });

  it('draws both paths side by side, the first difference a thick arrow on each', () => {
    const chart = doc.drawing.mermaid;
    expect(chart[0]).toBe('flowchart LR');
    expect(chart).toContain('  subgraph original["the original run"]');
    expect(chart).toContain('  subgraph whatif["the what-if"]');
    const marked = chart.filter((l) => l.includes('==>'));
    expect(marked).toHaveLength(2);
    expect(marked[0]).toMatch(
      /^ {4}o_.*"FIRST DIFFERENCE: pod OUTPUT nat ISTIO_OUTPUT 4: .*\[step 78\]<br\/>/,
    );
    expect(marked[1]).toMatch(
      /^ {4}w_.*"FIRST DIFFERENCE: pod OUTPUT nat ISTIO_OUTPUT 7: .*\[step 78\]<br\/>/,
    );
  });

  it('draws the same in svg, well-formed, with both boxes and the difference in words', async () => {
    const made = await reportText(doc, 'svg');
    if (!made.ok) throw new Error(made.message);
    const { DOMParser } = new JSDOM('').window;
    const xml = new DOMParser().parseFromString(made.text, 'image/svg+xml');
    expect(xml.getElementsByTagName('parsererror')).toHaveLength(0);
    const words = Array.from(xml.getElementsByTagName('text'), (t) => t.textContent).join('\n');
    expect(words).toContain('the original run');
    expect(words).toContain('the what-if');
    expect(words).toContain('FIRST DIFFERENCE: pod OUTPUT nat ISTIO_OUTPUT 7: -j');
  });
});

describe('nfdb report --edit', () => {
  it('compares the runs, and gives the run --compare command that prints the same', () => {
    const r = nfdb(['report', 'snapshots/sidecar-outbound.json', '--edit', EDITS[0] ?? '']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^## nfdb what-if: sidecar outbound/);
    expect(r.stdout).toContain(
      "To compare the two runs step by step: `nfdb run snapshots/sidecar-outbound.json --edit '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN' --compare`",
    );
  });

  it('reports an edit that does not apply, without a stack trace', () => {
    const r = nfdb(['report', '--edit', '-t nat -D NO_SUCH_CHAIN 1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nfdb: --edit '-t nat -D NO_SUCH_CHAIN 1'/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
