import { describe, expect, it } from 'vitest';
import { followBounds, followWindow, moreText } from './follow-window.js';

describe('a window that follows the cursor', () => {
  it('keeps the followed line in view, with a sign where lines are hidden', () => {
    for (const follow of [0, 1, 5, 50, 98, 99]) {
      const w = followWindow(100, 6, follow, 0);
      expect(follow).toBeGreaterThanOrEqual(w.start);
      expect(follow).toBeLessThan(w.end);
      expect(w.end - w.start + Number(w.above) + Number(w.below)).toBeLessThanOrEqual(6);
    }
    expect(followWindow(100, 6, 0, 0)).toMatchObject({ start: 0, above: false, below: true });
    expect(followWindow(100, 6, 99, 0)).toMatchObject({ end: 100, above: true, below: false });
    expect(followWindow(4, 6, 2, 0)).toEqual({ start: 0, end: 4, above: false, below: false });
  });

  it('scrolls to either end and no further: its bounds are the last presses that move it', () => {
    const { min, max } = followBounds(100, 6, 50);
    expect(followWindow(100, 6, 50, min)).toMatchObject({ start: 0, above: false });
    expect(followWindow(100, 6, 50, max)).toMatchObject({ end: 100, below: false });
    expect(followWindow(100, 6, 50, min + 1).start).toBeGreaterThan(0);
    expect(followWindow(100, 6, 50, max - 1).end).toBeLessThan(100);
    expect(followWindow(100, 6, 50, max + 9)).toEqual(followWindow(100, 6, 50, max));
    expect(followBounds(4, 6, 2)).toEqual({ min: 0, max: 0 });
  });

  it('has no room for signs in a row or two: shows the lines alone', () => {
    expect(followWindow(100, 1, 40, 0)).toEqual({ start: 40, end: 41, above: false, below: false });
    expect(followBounds(100, 1, 40)).toEqual({ min: -40, max: 59 });
  });

  it('says how many lines a sign hides', () => {
    expect(moreText(12, 'above', 'rules')).toBe('↑ 12 more rules');
    expect(moreText(3, 'below', 'steps')).toBe('↓ 3 more steps');
  });
});
