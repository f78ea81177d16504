import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextScan } from './text-scan.js';

const naivePlain = (text: string, from: number, to: number): boolean =>
  !/["'\\\t\r]/.test(text.slice(from, to));

describe('TextScan', () => {
  it('tells ranges with quotes, backslashes, tabs or carriage returns', () => {
    const scan = new TextScan('-A X -m comment --comment "a b" -j Y\r\n');
    expect(scan.plain(0, 25)).toBe(true);
    expect(scan.plain(20, 30)).toBe(false);
    expect(scan.plain(32, 36)).toBe(true);
    expect(scan.plain(32, 37)).toBe(false);
    expect(scan.hasBackslash(0, 38)).toBe(false);
  });

  it('answers as a look at the characters would, in any order of questions', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', '"', "'", '\\', '\t', '\r'),
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        text,
        fc.array(fc.tuple(fc.nat(200), fc.nat(20)), { maxLength: 60 }),
        (t, asks) => {
          const scan = new TextScan(t);
          for (const [start, length] of asks) {
            const from = Math.min(start, t.length);
            const to = Math.min(from + length, t.length);
            expect(scan.plain(from, to)).toBe(naivePlain(t, from, to));
            expect(scan.hasBackslash(from, to)).toBe(t.slice(from, to).includes('\\'));
          }
        },
      ),
    );
  });
});
