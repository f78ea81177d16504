/**
 * What a finished trace keeps alive. A trace's baseline is made on first read, by a function the
 * trace holds in an accessor; V8 allocates accessors in the old generation, so whatever that
 * function reaches survives every young collection until a full one. When it reached the run
 * (connections, stack, recorder), every step of every trace did, and the default scenario spent
 * a third of its time collecting garbage. Tested with a full collection: what the baseline's
 * reader keeps must not include the steps.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** In a function of its own, so that nothing on this stack holds the trace afterwards. */
function simulateAndLetGo() {
  const trace = simulate(bookinfoScenario());
  const readBaseline = Object.getOwnPropertyDescriptor(trace, 'baseline')?.get;
  return { readBaseline, steps: new WeakRef(trace.steps) };
}

describe("a trace's lazy baseline", () => {
  it('keeps the world it lists, not the run that made the trace', async () => {
    const { readBaseline, steps } = simulateAndLetGo();
    expect(readBaseline).toBeTypeOf('function');
    // A WeakRef's target lives to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(steps.deref()).toBeUndefined();
    expect(readBaseline?.()).toEqual(simulate(bookinfoScenario()).baseline);
  });
});
