/**
 * The report of one run: the findings, the path in brief with the rules' text, the drawing of
 * the path, the rules involved as iptables-save writes them (collapsed), and which nfdb and which
 * command give the same.
 */
import type { Ruleset, Trace } from '../../model/index.js';
import { toIptablesSave } from '../../rules/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { summaryItems } from '../summary.js';
import { brief } from '../walkthrough.js';
import type { Block, ReportDocument } from './document.js';
import { dotGraph } from './dot.js';
import { mermaidFlowchart } from './flowchart.js';
import { pathGraph } from './path-graph.js';

export type ReportHosts = readonly {
  readonly name: string;
  readonly rulesets: readonly Ruleset[];
}[];

export interface ReportInput {
  readonly trace: Trace;
  readonly hosts: ReportHosts;
  readonly rules?: RuleLookup;
  /** `nfdb 0.1.0 (commit abc1234, Node v20.20.2)`. */
  readonly version: string;
  /** The command that prints the same walkthrough: `nfdb run --rules pod.rules`. */
  readonly command: string;
}

/** The tables each host ran rules of: only those are "involved". */
function tablesRun(trace: Trace): Set<string> {
  const run = new Set<string>();
  for (const s of trace.steps)
    if (s.kind === 'rule' || s.kind === 'span' || s.kind === 'policy')
      run.add(`${s.host}\u0000${s.table.name}`);
  return run;
}

/** The rules involved, as iptables-save writes them, a host at a time. */
export function rulesInvolved(trace: Trace, hosts: ReportHosts): string[] {
  const run = tablesRun(trace);
  const out: string[] = [];
  for (const h of hosts)
    for (const r of h.rulesets) {
      const tables = r.tables.filter((t) => run.has(`${h.name}\u0000${t.name}`));
      if (tables.length === 0) continue;
      out.push(`# host ${h.name}`, toIptablesSave({ ...r, tables }).trimEnd());
    }
  return out;
}

/** The findings as list items, each with its step where it has one. */
export function findingItems(trace: Trace, rules: RuleLookup | undefined): Block {
  const items = summaryItems(trace, rules)
    .filter((i) => i.section !== 'title')
    .map((i) => ({ indent: Math.max(0, i.indent - 1), text: i.text }));
  return { kind: 'list', items };
}

/** The path in brief, without its title line. */
export function briefBlock(trace: Trace, rules: RuleLookup | undefined): Block {
  const [, ...path] = brief(trace, rules);
  return { kind: 'code', info: 'text', lines: path };
}

export function rulesBlock(trace: Trace, hosts: ReportHosts, summary: string): Block {
  const saved = rulesInvolved(trace, hosts);
  const lines = saved.length > 0 ? saved : ['# no iptables rule was run'];
  return { kind: 'details', summary, blocks: [{ kind: 'code', info: '', lines }] };
}

export const madeWith = (version: string, command: string, what = 'To see every step'): Block => ({
  kind: 'text',
  text: `Made with ${version}. ${what}: \`${command}\``,
});

export function reportDocument(input: ReportInput): ReportDocument {
  const { trace, rules } = input;
  const graph = pathGraph(trace, rules);
  const title = `nfdb: ${trace.scenario}`;
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: title },
    {
      kind: 'text',
      text: `${trace.connections.length} connections, ${trace.packets.length} packets, ${trace.steps.length} steps. Step numbers in brackets are those of \`nfdb run\` and of the UI's \`:N\`.`,
    },
    { kind: 'heading', level: 3, text: 'Findings' },
    findingItems(trace, rules),
    { kind: 'heading', level: 3, text: 'The path in brief' },
    briefBlock(trace, rules),
    { kind: 'heading', level: 3, text: "The path: each connection's first packet and first reply" },
    { kind: 'drawing' },
    rulesBlock(trace, input.hosts, 'The rules involved (iptables-save)'),
    madeWith(input.version, input.command),
  ];
  return {
    title,
    blocks,
    drawing: { mermaid: mermaidFlowchart(graph), dot: dotGraph(graph, trace.scenario) },
  };
}
