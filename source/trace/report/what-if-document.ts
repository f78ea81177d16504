/**
 * The report of a what-if: the original run and the edited one compared, as `nfdb run --compare`
 * prints it, then both findings, both paths drawn side by side with the first difference marked,
 * both paths in brief and the rules each run involved. Step numbers are each run's own.
 */
import type { Trace } from '../../model/index.js';
import {
  type ConnectionChange,
  diffTraces,
  type PathDifference,
  type PathStep,
} from '../diff/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { compareLines, connectionName, sideText } from '../words/diff.js';
import type { Block, ReportDocument } from './document.js';
import { sideBySideDot } from './dot.js';
import { sideBySideFlowchart } from './flowchart.js';
import { markStep, type PathGraph, pathGraph } from './path-graph.js';
import {
  briefBlock,
  findingItems,
  madeWith,
  type ReportHosts,
  rulesBlock,
} from './report-document.js';

export interface RunOfReport {
  readonly trace: Trace;
  readonly hosts: ReportHosts;
  readonly rules: RuleLookup;
}

export interface WhatIfReportInput {
  readonly before: RunOfReport;
  readonly after: RunOfReport;
  /** What the what-if changed: `reviews: iptables -t nat -D ISTIO_OUTPUT 4`, `--set …`. */
  readonly changes: readonly string[];
  readonly version: string;
  /** The command that prints the same comparison: `nfdb run --edit … --compare`. */
  readonly command: string;
}

const ORIGINAL = 'the original run';
const WHAT_IF = 'the what-if';

type Difference = { readonly change: ConnectionChange; readonly at: PathDifference };

/** The difference that comes first: the earliest step where a connection's paths part. */
function firstOfAll(changes: readonly ConnectionChange[]): Difference | undefined {
  const step = (d: PathDifference) => d.before?.step ?? d.after?.step ?? Number.POSITIVE_INFINITY;
  let first: Difference | undefined;
  for (const change of changes) {
    const at = change.firstDifference;
    if (at && (!first || step(at) < step(first.at))) first = { change, at };
  }
  return first;
}

/** A run's graph, with the packet at the difference drawn and its hop marked in words. */
function sideGraph(run: RunOfReport, at: PathStep | undefined): PathGraph {
  if (at === undefined) return pathGraph(run.trace, run.rules);
  const packet = run.trace.steps[at.step]?.packetId;
  const graph = pathGraph(run.trace, run.rules, packet === undefined ? [] : [packet]);
  return markStep(graph, at.step, `FIRST DIFFERENCE: ${sideText(at, run.rules)}`);
}

function differenceBlocks(input: WhatIfReportInput, first: Difference | undefined): Block[] {
  if (!first) return [{ kind: 'text', text: 'No path differs.' }];
  const { change, at } = first;
  const name = connectionName(change, input.before.trace, input.after.trace);
  const labels =
    at.labelAfter === undefined ? at.label : `${at.label}; in the what-if ${at.labelAfter}`;
  return [
    { kind: 'text', text: `${name}, packet ${at.packet} (${labels}):` },
    {
      kind: 'list',
      items: [
        { indent: 0, text: `${ORIGINAL}: ${sideText(at.before, input.before.rules)}` },
        { indent: 0, text: `${WHAT_IF}: ${sideText(at.after, input.after.rules)}` },
      ],
    },
  ];
}

export function whatIfDocument(input: WhatIfReportInput): ReportDocument {
  const { before, after } = input;
  const rules = { before: before.rules, after: after.rules };
  const diff = diffTraces(before.trace, after.trace, rules);
  const first = firstOfAll(diff.connections);
  const left = { title: ORIGINAL, graph: sideGraph(before, first?.at.before) };
  const right = { title: WHAT_IF, graph: sideGraph(after, first?.at.after) };
  const title = `nfdb what-if: ${before.trace.scenario}`;
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: title },
    {
      kind: 'text',
      text: `The original run (${before.trace.steps.length} steps) and the what-if (${after.trace.steps.length} steps), compared. Step numbers in brackets are each run's own, those of \`nfdb run\` with and without the edits and of the UI's \`:N\`.`,
    },
    { kind: 'heading', level: 3, text: 'What the what-if changes' },
    { kind: 'list', items: input.changes.map((c) => ({ indent: 0, text: `\`${c}\`` })) },
    { kind: 'heading', level: 3, text: 'The first difference' },
    ...differenceBlocks(input, first),
    { kind: 'heading', level: 3, text: 'What changes' },
    { kind: 'code', info: 'text', lines: compareLines(diff, before.trace, after.trace, rules) },
    { kind: 'heading', level: 3, text: 'Findings of the original run' },
    findingItems(before.trace, before.rules),
    { kind: 'heading', level: 3, text: 'Findings of the what-if' },
    findingItems(after.trace, after.rules),
    {
      kind: 'heading',
      level: 3,
      text: "Both paths, side by side: each connection's first packet and first reply",
    },
    { kind: 'drawing' },
    {
      kind: 'details',
      summary: 'The path in brief: the original run',
      blocks: [briefBlock(before.trace, before.rules)],
    },
    {
      kind: 'details',
      summary: 'The path in brief: the what-if',
      blocks: [briefBlock(after.trace, after.rules)],
    },
    rulesBlock(before.trace, before.hosts, 'The rules involved (iptables-save): the original run'),
    rulesBlock(after.trace, after.hosts, 'The rules involved (iptables-save): the what-if'),
    madeWith(input.version, input.command, 'To compare the two runs step by step'),
  ];
  return {
    title,
    blocks,
    drawing: {
      mermaid: sideBySideFlowchart(left, right),
      dot: sideBySideDot(left, right, before.trace.scenario),
    },
  };
}
