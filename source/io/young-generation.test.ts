import { describe, expect, it } from 'vitest';
import { withoutYoungGrowth } from './young-generation.js';

describe('withoutYoungGrowth', () => {
  it('gives back what the load made', () => {
    const model = { rules: [1, 2, 3] };
    expect(withoutYoungGrowth(() => model)).toBe(model);
  });

  it('lets a failed load throw, and later loads still run', () => {
    expect(() =>
      withoutYoungGrowth(() => {
        throw new Error('bad input');
      }),
    ).toThrow('bad input');
    expect(withoutYoungGrowth(() => 'again')).toBe('again');
  });
});
