import { describe, expect, it } from 'vitest';
import { HEAP_PER_INPUT_BYTE, heapLimit, inputThatFits, tooLargeForHeap } from './heap-fit.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

describe('what fits in the heap', () => {
  it('is the heap limit over the heap a byte of rules takes', () => {
    expect(inputThatFits({ bytes: 1400 * MB, source: 'v8' })).toBe(
      (1400 * MB) / HEAP_PER_INPUT_BYTE,
    );
  });

  it("takes this Node's own v8 limit", () => {
    const limit = heapLimit();
    expect(limit.source).toBe('v8');
    expect(limit.bytes).toBeGreaterThan(0);
  });

  it('a 100k-service dump (255 MB) fits in a default 4 GB heap, and not in 2 GB', () => {
    expect(inputThatFits({ bytes: 4.04 * GB, source: 'v8' })).toBeGreaterThan(255e6);
    expect(inputThatFits({ bytes: 2 * GB, source: 'v8' })).toBeLessThan(255e6);
  });
});

describe('the refusal of an input that does not fit', () => {
  const small = { bytes: 64 * MB, source: 'v8' as const };

  it('says what a file needs, what there is, and the Node flag that makes room', () => {
    const text = tooLargeForHeap(inputThatFits(small), 10 * MB, small);
    expect(text).toBe(
      `too large to load in this Node's heap: 10 MB of rules needs about ${10 * HEAP_PER_INPUT_BYTE} MB (${HEAP_PER_INPUT_BYTE} bytes a byte), and it has 64 MB; NODE_OPTIONS=--max-old-space-size=200 makes room if the machine has the memory, or the single binary (npm run compile) has no such limit; --max-size reads it anyway`,
    );
  });

  it('of standard input, whose size is not known, says the most that fits', () => {
    expect(tooLargeForHeap(4 * MB, undefined, small)).toMatch(
      /^too large to load in this Node's heap: more than 4 MB of rules, the most its 64 MB hold; NODE_OPTIONS=--max-old-space-size=200 /,
    );
  });

  it('under the single binary, the machine is the limit: no Node flag to name', () => {
    const text = tooLargeForHeap(MB, 2 * MB, { bytes: 16 * MB, source: 'machine' });
    expect(text).toBe(
      "too large to load in this machine's memory: 2 MB of rules needs about 28 MB (14 bytes a byte), and it has 16 MB; --max-size reads it anyway",
    );
    expect(text).not.toContain('NODE_OPTIONS');
  });
});
