/**
 * The path as a Mermaid flowchart, which GitHub and GitLab draw from the text alone; for a
 * what-if, the original's and the what-if's side by side, the first difference a thick arrow
 * that says so in words (readable without colour).
 */
import type { Trace } from '../../model/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { type PathEdge, type PathGraph, pathGraph } from './path-graph.js';

/** Mermaid reads quotes, angle brackets and pipes inside labels as syntax: entity codes instead. */
export function mermaidText(text: string): string {
  return text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}

const label = (lines: readonly string[]) => lines.map(mermaidText).join('<br/>');

function edgeLine(e: PathEdge, indent: string, prefix: string): string {
  const lines = [...(e.mark ? [e.mark] : []), e.title, ...e.lines];
  const arrow = e.mark ? '==>' : '-->';
  return `${indent}${prefix}${e.from} ${arrow}|"${label(lines)}"| ${prefix}${e.to}`;
}

/** The graph's node declarations and arrows, each id prefixed (two graphs share one chart). */
function graphLines(graph: PathGraph, indent: string, prefix = ''): string[] {
  return [
    ...graph.nodes.map((n) => `${indent}${prefix}${n.id}["${label(n.lines)}"]`),
    ...graph.edges.map((e) => edgeLine(e, indent, prefix)),
  ];
}

/** The flowchart's text, from `flowchart TD` to its last arrow. */
export function flowchart(trace: Trace, rules?: RuleLookup): string[] {
  return mermaidFlowchart(pathGraph(trace, rules));
}

export function mermaidFlowchart(graph: PathGraph): string[] {
  return ['flowchart TD', ...graphLines(graph, '  ')];
}

export interface Side {
  /** `the original run`, `the what-if`. */
  readonly title: string;
  readonly graph: PathGraph;
}

/** Two graphs side by side, each in a box of its own, top to bottom inside. */
export function sideBySideFlowchart(left: Side, right: Side): string[] {
  const box = (id: string, side: Side, prefix: string) => [
    `  subgraph ${id}["${mermaidText(side.title)}"]`,
    '    direction TB',
    ...graphLines(side.graph, '    ', prefix),
    '  end',
  ];
  return ['flowchart LR', ...box('original', left, 'o_'), ...box('whatif', right, 'w_')];
}
