/**
 * The path as a Graphviz DOT graph, for the svg and html reports: the same nodes and hops as the
 * Mermaid flowchart, drawn offline. A what-if puts the original's and the what-if's paths side
 * by side, each in a box of its own, the first difference a thick arrow that says so in words
 * (readable without colour, printed in black and white).
 */

import type { Side } from './flowchart.js';
import type { PathEdge, PathGraph } from './path-graph.js';

/**
 * A DOT string's text. In a label, a backslash starts an escape (`\N` is the node's name, `\l`
 * ends a left-aligned line): a rule's own backslashes are doubled, and lines end with `\l`.
 */
export function dotText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Graphviz does not wrap: a long line (a rule, a sentence) is broken at spaces, the rest indented. */
export function wrapped(line: string, width = WRAP): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    // Past the indent, or a word longer than the width would be cut at the indent forever.
    if (cut <= (out.length === 0 ? 0 : INDENT.length)) break;
    out.push(rest.slice(0, cut));
    rest = `${INDENT}${rest.slice(cut + 1)}`;
  }
  return [...out, rest];
}

const WRAP = 60;
const INDENT = '    ';

const label = (lines: readonly string[]) =>
  `"${lines
    .flatMap((l) => wrapped(l))
    .map((l) => `${dotText(l)}\\l`)
    .join('')}"`;

const HEADER = [
  '  graph [fontname="Helvetica", fontsize=12, labelloc=t, nodesep=0.3, ranksep=0.35];',
  '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
  '  edge [fontname="Helvetica", fontsize=9];',
];

function edgeLine(e: PathEdge, indent: string, prefix: string): string {
  const lines = [...(e.mark ? [e.mark] : []), e.title, ...e.lines];
  const marked = e.mark ? ', penwidth=3, style=bold, color="#b00020", fontcolor="#b00020"' : '';
  return `${indent}${prefix}${e.from} -> ${prefix}${e.to} [label=${label(lines)}${marked}];`;
}

function graphLines(graph: PathGraph, indent: string, prefix = ''): string[] {
  return [
    ...graph.nodes.map((n) => `${indent}${prefix}${n.id} [label=${label(n.lines)}];`),
    ...graph.edges.map((e) => edgeLine(e, indent, prefix)),
  ];
}

/** `title` names the drawing on top of it: the scenario. */
export function dotGraph(graph: PathGraph, title: string): string {
  const top = `  label="${dotText(title)}";`;
  return ['digraph nfdb {', ...HEADER, top, ...graphLines(graph, '  '), '}', ''].join('\n');
}

/** Two paths side by side: Graphviz lays unconnected boxes out beside each other. */
export function sideBySideDot(left: Side, right: Side, title: string): string {
  const box = (id: string, side: Side, prefix: string) => [
    `  subgraph cluster_${id} {`,
    `    label="${dotText(side.title)}";`,
    ...graphLines(side.graph, '    ', prefix),
    '  }',
  ];
  const top = `  label="${dotText(title)}";`;
  return [
    'digraph nfdb {',
    ...HEADER,
    top,
    ...box('original', left, 'o_'),
    ...box('whatif', right, 'w_'),
    '}',
    '',
  ].join('\n');
}
