/**
 * A report document in one of its formats: markdown for an issue, svg (the drawing alone) for
 * slides, html (the text and the drawing on one page) for a wiki. Graphviz draws the svg.
 */
import { dotToSvg } from '../io/graphviz.js';
import type { ReportDocument } from '../trace/report/document.js';
import { htmlOf } from '../trace/report/html.js';
import { markdownOf } from '../trace/report/markdown.js';

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
