/**
 * `nfdb report`'s markdown, for a GitHub or GitLab issue: the findings, the path in brief with the
 * rules' text, the path as a Mermaid flowchart, the rules involved in a collapsed iptables-save
 * block, and which nfdb and which command give the same. Plain text only: no terminal escapes,
 * readable without colour; step numbers are `nfdb run`'s.
 */
import type { Ruleset, Trace } from '../../model/index.js';
import { toIptablesSave } from '../../rules/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { summaryItems } from '../summary.js';
import { brief } from '../walkthrough.js';
import { flowchart } from './flowchart.js';

export interface ReportInput {
  readonly trace: Trace;
  readonly hosts: readonly { readonly name: string; readonly rulesets: readonly Ruleset[] }[];
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
export function rulesInvolved(trace: Trace, hosts: ReportInput['hosts']): string[] {
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

/** A fenced block's fence: longer than any run of backticks inside it. */
function fence(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
  return '`'.repeat(longest + 1);
}

function fenced(info: string, lines: readonly string[]): string[] {
  const f = fence(lines);
  return [`${f}${info}`, ...lines, f];
}

/** The findings as a markdown list, each with its step where it has one. */
function findings(trace: Trace, rules: RuleLookup | undefined): string[] {
  return summaryItems(trace, rules)
    .filter((i) => i.section !== 'title')
    .map((i) => `${'  '.repeat(Math.max(0, i.indent - 1))}- ${i.text}`);
}

export function reportMarkdown(input: ReportInput): string {
  const { trace, rules } = input;
  const [, ...path] = brief(trace, rules);
  const saved = rulesInvolved(trace, input.hosts);
  const out = [
    `## nfdb: ${trace.scenario}`,
    '',
    `${trace.connections.length} connections, ${trace.packets.length} packets, ${trace.steps.length} steps. Step numbers in brackets are those of \`nfdb run\` and of the UI's \`:N\`.`,
    '',
    '### Findings',
    '',
    ...findings(trace, rules),
    '',
    '### The path in brief',
    '',
    ...fenced('text', path),
    '',
    "### The path: each connection's first packet and first reply",
    '',
    ...fenced('mermaid', flowchart(trace, rules)),
    '',
    '<details>',
    '<summary>The rules involved (iptables-save)</summary>',
    '',
    ...fenced('', saved.length > 0 ? saved : ['# no iptables rule was run']),
    '',
    '</details>',
    '',
    `Made with ${input.version}. To see every step: \`${input.command}\``,
  ];
  return `${out.join('\n')}\n`;
}
