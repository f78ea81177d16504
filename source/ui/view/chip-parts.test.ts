import { describe, expect, it } from 'vitest';
import { chipParts } from './chip-parts.js';

describe('a row of chips', () => {
  it('lights the lit chip alone, never the separator before it', () => {
    const parts = chipParts(
      [
        { text: 'reviews', lit: false },
        { text: 'OUTPUT', lit: true },
      ],
      ' ▸ ',
    );
    expect(parts).toEqual([
      { text: 'reviews', lit: false },
      { text: ' ▸ ', lit: false },
      { text: 'OUTPUT', lit: true },
    ]);
  });
});
