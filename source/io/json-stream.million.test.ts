import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Step, Trace } from '../model/index.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { writeJson } from './json-stream.js';

/** A stream that keeps nothing: the bytes it was given and how the text ended. */
function counter() {
  let bytes = 0;
  let tail = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      tail = (tail + chunk.toString()).slice(-8);
      done();
    },
  });
  return { stream, bytes: () => bytes, tail: () => tail };
}

describe('run --json of a trace of a million steps', () => {
  it('is written whole, a step at a time, though longer than a string can hold', async () => {
    const small = simulate(bookinfoScenario());
    const steps = Array.from(
      { length: 1_000_000 },
      (_, i) => small.steps[i % small.steps.length] as Step,
    );
    const trace = { ...small, steps } as Trace;
    let expected = Buffer.byteLength(JSON.stringify({ ...trace, steps: [] })) + 1 - 2;
    expected += 2 + steps.length - 1;
    const sizes = new Map(small.steps.map((s) => [s, Buffer.byteLength(JSON.stringify(s))]));
    for (const s of steps) expected += sizes.get(s) ?? 0;
    // V8's longest string is about 2^29 characters: the text is longer than one could be.
    expect(expected).toBeGreaterThan(2 ** 29);
    const out = counter();
    await writeJson(out.stream, trace);
    expect(out.bytes()).toBe(expected);
    expect(out.tail().endsWith('}\n')).toBe(true);
  }, 600_000);
});
