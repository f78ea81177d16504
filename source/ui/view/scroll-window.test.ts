import { describe, expect, it } from 'vitest';
import { scrollWindow } from './scroll-window.js';

describe('a scrolled window', () => {
  it('shows everything, with no sign, when the lines fit', () => {
    expect(scrollWindow(5, 5, 3)).toEqual({ start: 0, end: 5, above: false, below: false });
  });

  it('keeps a row for the sign below at the top, for both in the middle, above at the end', () => {
    expect(scrollWindow(10, 4, 0)).toEqual({ start: 0, end: 3, above: false, below: true });
    expect(scrollWindow(10, 4, 2)).toEqual({ start: 2, end: 4, above: true, below: true });
    expect(scrollWindow(10, 4, 7)).toEqual({ start: 7, end: 10, above: true, below: false });
  });

  it('clamps a scroll past either end', () => {
    expect(scrollWindow(10, 4, 99)).toEqual({ start: 7, end: 10, above: true, below: false });
    expect(scrollWindow(10, 4, -3)).toEqual({ start: 0, end: 3, above: false, below: true });
  });

  it('shows every line at some scroll', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 12; s++) {
      const w = scrollWindow(12, 5, s);
      for (let i = w.start; i < w.end; i++) seen.add(i);
      expect(w.end - w.start + (w.above ? 1 : 0) + (w.below ? 1 : 0)).toBeLessThanOrEqual(5);
    }
    expect(seen.size).toBe(12);
  });
});
