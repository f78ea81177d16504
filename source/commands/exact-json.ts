/**
 * `run --json` with the loaded counters exact: a count past 2^53 (counters are 64-bit) is written
 * as its digits, where JSON.stringify would write the rounded number; `exact` keeps them as text
 * too, for readers whose numbers round.
 */
import { JsonInteger } from '../io/json-stream.js';
import type { CounterBaseline, Trace } from '../model/index.js';

function exactBaseline(b: CounterBaseline): unknown {
  const exact = b.counters.exact;
  if (!exact) return b;
  const counters = {
    packets: new JsonInteger(exact.packets),
    bytes: new JsonInteger(exact.bytes),
    exact,
  };
  return { ...b, counters };
}

export function traceForJson(trace: Trace): unknown {
  if (!trace.baseline.some((b) => b.counters.exact)) return trace;
  return { ...trace, baseline: trace.baseline.map(exactBaseline) };
}
