import type { PathToken } from './path-tokens.js';

/** Chips with their separators between them, unlit: a lit chip's highlight covers it alone. */
export function chipParts(items: readonly PathToken[], separator: string): PathToken[] {
  return items.flatMap((t, i) => (i > 0 ? [{ text: separator, lit: false }, t] : [t]));
}
