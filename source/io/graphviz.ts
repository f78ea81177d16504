/**
 * DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no browser, no network, no
 * binary beside nfdb. Loaded on first use, so the UI and the other commands start without it.
 */
import type { Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

export type SvgResult =
  | { readonly ok: true; readonly svg: string }
  | { readonly ok: false; readonly message: string };

export async function dotToSvg(dot: string): Promise<SvgResult> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status === 'success') return { ok: true, svg: result.output };
  const errors = result.errors.filter((e) => e.level === 'error').map((e) => e.message.trim());
  return { ok: false, message: `Graphviz could not draw the path: ${errors.join('; ')}` };
}
