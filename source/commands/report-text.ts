/**
 * A report document in one of its formats: markdown for an issue, svg (the drawing alone) for
 * slides, html (the text and the drawing on one page) for a wiki. Graphviz draws the svg.
 */
import { dotToSvg } from '../io/graphviz.js';
import type { Scenario, Trace } from '../model/index.js';
import type { ReportDocument } from '../trace/report/document.js';
import { htmlOf } from '../trace/report/html.js';
import { markdownOf } from '../trace/report/markdown.js';
import { reportDocument } from '../trace/report/report-document.js';
import { type RunOfReport, whatIfDocument } from '../trace/report/what-if-document.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { simulate } from '../world/simulate.js';
import { versionText } from './version.js';

export const REPORT_FORMATS = ['markdown', 'html', 'svg'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (f: unknown): f is ReportFormat =>
  (REPORT_FORMATS as readonly unknown[]).includes(f);

/** The file name's extension for each format. */
export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  markdown: 'md',
  html: 'html',
  svg: 'svg',
};

export async function reportText(
  doc: ReportDocument,
  format: ReportFormat,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  if (format === 'markdown') return { ok: true, text: markdownOf(doc) };
  const drawn = await dotToSvg(doc.drawing.dot);
  if (!drawn.ok) return drawn;
  return { ok: true, text: format === 'svg' ? drawn.svg : htmlOf(doc, drawn.svg) };
}

/** A scenario as one run of a report; its trace when the caller has it already. */
export function runOf(scenario: Scenario, trace: Trace = simulate(scenario)): RunOfReport {
  return { trace, hosts: scenario.world.hosts, rules: ruleLookup(scenario.world.hosts, trace) };
}

/**
 * The report of a run, or of a what-if compared with its original run. `command` is the `nfdb
 * run` that shows the same (with `--compare` for a what-if).
 */
export function reportOf(
  original: RunOfReport,
  whatIf: { readonly run: RunOfReport; readonly changes: readonly string[] } | undefined,
  command: string,
): ReportDocument {
  const version = versionText().trimEnd();
  if (!whatIf) return reportDocument({ ...original, version, command });
  const { run, changes } = whatIf;
  return whatIfDocument({ before: original, after: run, changes, version, command });
}
