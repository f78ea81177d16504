/**
 * `nfdb report`'s markdown, for a GitHub or GitLab issue: the findings, the path in brief with the
 * rules' text, the path as a Mermaid flowchart, the rules involved in a collapsed iptables-save
 * block, and which nfdb and which command give the same.
 */
import type { Block, ReportDocument } from './document.js';
import { type ReportInput, reportDocument } from './report-document.js';

export type { ReportInput } from './report-document.js';
export { rulesInvolved } from './report-document.js';

/** A fenced block's fence: longer than any run of backticks inside it. */
function fence(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
  return '`'.repeat(longest + 1);
}

function fenced(info: string, lines: readonly string[]): string[] {
  const f = fence(lines);
  return [`${f}${info}`, ...lines, f];
}

function blockLines(block: Block, doc: ReportDocument): string[] {
  switch (block.kind) {
    case 'heading':
      return [`${'#'.repeat(block.level)} ${block.text}`];
    case 'text':
      return [block.text];
    case 'list':
      return block.items.map((i) => `${'  '.repeat(i.indent)}- ${i.text}`);
    case 'code':
      return fenced(block.info, block.lines);
    case 'drawing':
      return fenced('mermaid', doc.drawing.mermaid);
    case 'details':
      return [
        '<details>',
        `<summary>${block.summary}</summary>`,
        '',
        ...blocksLines(block.blocks, doc),
        '',
        '</details>',
      ];
  }
}

function blocksLines(blocks: readonly Block[], doc: ReportDocument): string[] {
  return blocks.flatMap((b, i) => [...(i > 0 ? [''] : []), ...blockLines(b, doc)]);
}

export function markdownOf(doc: ReportDocument): string {
  return `${blocksLines(doc.blocks, doc).join('\n')}\n`;
}

export function reportMarkdown(input: ReportInput): string {
  return markdownOf(reportDocument(input));
}
