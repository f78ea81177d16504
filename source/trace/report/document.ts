/**
 * A report as blocks of text, before it is written as markdown or as HTML: headings, paragraphs
 * (with `code` spans), lists, preformatted blocks, a collapsed part, and the drawing (Mermaid in
 * markdown, Graphviz's SVG in HTML). Plain text only: no terminal escapes, readable without
 * colour; step numbers are `nfdb run`'s.
 */

export type Block =
  | { readonly kind: 'heading'; readonly level: 2 | 3; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'list';
      /** Indent 0 is the top level, 1 one level in. */
      readonly items: readonly { readonly indent: number; readonly text: string }[];
    }
  /** `info` is the markdown fence's language: `text`, or empty. */
  | { readonly kind: 'code'; readonly info: string; readonly lines: readonly string[] }
  | { readonly kind: 'drawing' }
  | { readonly kind: 'details'; readonly summary: string; readonly blocks: readonly Block[] };

export interface ReportDocument {
  /** The page's title: `nfdb: bookinfo: …`. */
  readonly title: string;
  readonly blocks: readonly Block[];
  /** The drawing of the path, in each language that draws it. */
  readonly drawing: { readonly mermaid: readonly string[]; readonly dot: string };
}
