import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonInteger, jsonPieces, writeJson } from './json-stream.js';

const text = (value: unknown, depth?: number) => [...jsonPieces(value, depth)].join('');

describe('jsonPieces writes what JSON.stringify writes, in pieces', () => {
  it('for any JSON value, at any depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, depth) => {
        expect(text(value, depth)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('leaves out undefined and functions in objects, writes null for them in arrays, calls toJSON', () => {
    const value = {
      a: undefined,
      b: [undefined, () => 1, 2],
      c: () => 1,
      d: { toJSON: () => 'D' },
      e: { nested: { deeper: [1, undefined] } },
    };
    expect(text(value)).toBe(JSON.stringify(value));
    expect(text(undefined)).toBe('');
  });
});

describe('writeJson', () => {
  it('writes the whole text and a newline through a stream that asks to wait', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const value = {
      steps: Array.from({ length: 5000 }, (_, i) => ({ index: i, text: 'x'.repeat(40) })),
    };
    await writeJson(stream, value);
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(Buffer.concat(chunks).toString()).toBe(`${JSON.stringify(value)}\n`);
  });
});

describe('JsonInteger', () => {
  it('is written as its digits, exactly, at any depth, where a number would round', () => {
    const big = '18446744073709551615';
    const value = { a: [{ packets: new JsonInteger(big), text: 'x' }], b: new JsonInteger('5') };
    for (const depth of [0, 1, 2, 3])
      expect(text(value, depth)).toBe(`{"a":[{"packets":${big},"text":"x"}],"b":5}`);
  });

  it('leaves strings that look like its mark alone', () => {
    const value = { s: '\u0000integer-:12', t: '"\\u0000integer-:12"' };
    expect(text(value)).toBe(JSON.stringify(value));
  });
});
