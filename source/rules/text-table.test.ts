import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextTable } from './text-table.js';

describe('TextTable', () => {
  it('finds a key by a range of a text, where it is in the source or elsewhere', () => {
    const source = 'xx KUBE-SEP-A yy KUBE-SEP-B';
    const table = new TextTable<number>(source);
    table.add('KUBE-SEP-A', 1, false, 3);
    table.add('KUBE-SEP-B', 2);
    expect(table.find(source, 3, 13)).toBe(1);
    expect(table.find(source, 17, 27)).toBe(2);
    expect(table.find('-j KUBE-SEP-A', 3, 13)).toBe(1);
    expect(table.find(source, 3, 12)).toBeUndefined();
    table.clear();
    expect(table.find(source, 3, 13)).toBeUndefined();
  });

  it('answers as a Map of the sliced ranges would, through growth and misses', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', ' '), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3000 }), (words) => {
        const source = words.join('|');
        const table = new TextTable<number>(source);
        const map = new Map<string, number>();
        let at = 0;
        words.forEach((word, i) => {
          const found = table.find(source, at, at + word.length);
          expect(found).toBe(map.get(word));
          if (found === undefined) {
            table.add(source.slice(at, at + word.length), i, true, i % 2 === 0 ? at : -1);
            map.set(word, i);
          }
          at += word.length + 1;
        });
        expect(table.size).toBe(map.size);
      }),
      { numRuns: 50 },
    );
  });
});
