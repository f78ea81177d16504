import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCounters, COUNTER_LIMIT, countersOf, countText } from './counters.js';

const count = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 20n }),
  fc.bigInt({ min: (1n << 53n) - 5n, max: (1n << 53n) + 5n }),
  fc.bigInt({ min: 0n, max: COUNTER_LIMIT - 1n }),
);
const moved = fc.integer({ min: 0, max: 1 << 20 });

describe('addCounters', () => {
  it('adds what a run moved to a loaded 64-bit count exactly, wrapping at 2^64 as the kernel does', () => {
    fc.assert(
      fc.property(count, count, moved, moved, (p, b, dp, db) => {
        const sum = addCounters(countersOf(p, b), { packets: dp, bytes: db });
        expect(countText(sum, 'packets')).toBe(String((p + BigInt(dp)) % COUNTER_LIMIT));
        expect(countText(sum, 'bytes')).toBe(String((b + BigInt(db)) % COUNTER_LIMIT));
      }),
    );
  });

  it('keeps plain numbers, with no exact text, while the counts stay below 2^53', () => {
    expect(addCounters({ packets: 1, bytes: 2 }, { packets: 3, bytes: 4 })).toEqual({
      packets: 4,
      bytes: 6,
    });
  });
});
