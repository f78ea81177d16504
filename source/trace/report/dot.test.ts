import { describe, expect, it } from 'vitest';
import { dotGraph, dotText, wrapped } from './dot.js';
import { htmlOf } from './html.js';
import { markStep } from './path-graph.js';

const graph = {
  nodes: [
    { id: 'a', lines: ['pod: app'] },
    { id: 'b', lines: ['pod OUTPUT', 'nat OUTPUT'] },
  ],
  edges: [
    {
      from: 'a',
      to: 'b',
      title: 'packet 1 SYN',
      lines: ['[3] -m comment --comment "a\\b"'],
      steps: { after: 0, upTo: 4 },
    },
  ],
};

describe('dotGraph', () => {
  it('writes quotes and backslashes of a rule as text, each line ending left-aligned', () => {
    expect(dotText('say "x\\ny"')).toBe('say \\"x\\\\ny\\"');
    const dot = dotGraph(graph, 'pod');
    expect(dot).toContain(
      'a -> b [label="packet 1 SYN\\l[3] -m comment --comment \\"a\\\\b\\"\\l"];',
    );
    expect(dot).toContain('b [label="pod OUTPUT\\lnat OUTPUT\\l"];');
  });

  it('draws the marked hop thick, its mark in words first', () => {
    const dot = dotGraph(markStep(graph, 3, 'FIRST DIFFERENCE'), 'pod');
    expect(dot).toMatch(/a -> b \[label="FIRST DIFFERENCE\\lpacket 1 SYN.*penwidth=3/);
    expect(dotGraph(markStep(graph, 9, 'FIRST DIFFERENCE'), 'pod')).not.toContain('FIRST');
  });
});

describe('wrapped', () => {
  it('breaks a long line at spaces and indents the rest; a long word stays whole', () => {
    expect(wrapped('aaa bbb ccc', 7)).toEqual(['aaa bbb', '    ccc']);
    expect(wrapped('x'.repeat(20), 7)).toEqual(['x'.repeat(20)]);
    expect(wrapped(`ab ${'x'.repeat(20)}`, 7)).toEqual(['ab', `    ${'x'.repeat(20)}`]);
  });
});

describe('htmlOf', () => {
  it('writes text as text, code spans as code, and the drawing without its XML prolog', () => {
    const doc = {
      title: 'nfdb: <pod>',
      blocks: [
        { kind: 'text', text: 'see `nfdb run` & <more>' },
        { kind: 'code', info: 'text', lines: ['-A X -j "<y>"'] },
        { kind: 'drawing' },
      ] as const,
      drawing: { mermaid: [], dot: '' },
    };
    const html = htmlOf(doc, '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><text>a</text></svg>\n');
    expect(html).toContain('<title>nfdb: &lt;pod&gt;</title>');
    expect(html).toContain('<p>see <code>nfdb run</code> &amp; &lt;more&gt;</p>');
    expect(html).toContain('<pre>-A X -j &quot;&lt;y&gt;&quot;</pre>');
    expect(html).toContain('<figure>\n<svg><text>a</text></svg>\n</figure>');
    expect(html).not.toContain('<?xml');
  });
});
