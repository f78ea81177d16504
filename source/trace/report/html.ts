/**
 * The report as one HTML page, for a wiki or a browser: the markdown's text as HTML, with the
 * path drawn by Graphviz embedded as SVG. Self-contained: no script, no stylesheet or font to
 * fetch; readable without colour.
 */
import type { Block, ReportDocument } from './document.js';

export function htmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A paragraph's text with its `code` spans as <code>. */
function inline(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${htmlText(part)}</code>` : htmlText(part)))
    .join('');
}

/** List items with their indents, as nested lists. */
function listHtml(items: readonly { readonly indent: number; readonly text: string }[]): string[] {
  const out: string[] = ['<ul>'];
  let depth = 0;
  items.forEach((item, i) => {
    const want = Math.max(0, item.indent);
    for (; depth < want; depth++) out.push('<ul>');
    for (; depth > want; depth--) out.push('</ul></li>');
    const next = items[i + 1];
    const opens = next !== undefined && next.indent > item.indent;
    out.push(`<li>${inline(item.text)}${opens ? '' : '</li>'}`);
  });
  for (; depth > 0; depth--) out.push('</ul></li>');
  out.push('</ul>');
  return out;
}

/** The SVG element alone: an XML declaration or doctype may not stand inside an HTML page. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start < 0 ? svg : svg.slice(start).trimEnd();
}

function blockHtml(block: Block, svg: string): string[] {
  switch (block.kind) {
    case 'heading':
      return [`<h${block.level}>${inline(block.text)}</h${block.level}>`];
    case 'text':
      return [`<p>${inline(block.text)}</p>`];
    case 'list':
      return listHtml(block.items);
    case 'code':
      return [`<pre>${block.lines.map(htmlText).join('\n')}</pre>`];
    case 'drawing':
      return ['<figure>', inlineSvg(svg), '</figure>'];
    case 'details':
      return [
        '<details>',
        `<summary>${inline(block.summary)}</summary>`,
        ...block.blocks.flatMap((b) => blockHtml(b, svg)),
        '</details>',
      ];
  }
}

const STYLE = [
  'body { font-family: sans-serif; max-width: 80em; margin: 1em auto; padding: 0 1em; }',
  'pre { background: #f6f8fa; padding: 0.5em; overflow-x: auto; }',
  'figure { margin: 0; overflow-x: auto; }',
];

/** The page, with `svg` (Graphviz's drawing of `doc.drawing.dot`) in the drawing's place. */
export function htmlOf(doc: ReportDocument, svg: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${htmlText(doc.title)}</title>`,
    `<style>\n${STYLE.join('\n')}\n</style>`,
    '</head>',
    '<body>',
    ...doc.blocks.flatMap((b) => blockHtml(b, svg)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
