import type { Trace } from '../../model/index.js';
import { type CounterKey, counterKey } from '../../trace/counters.js';

type Totals = Map<CounterKey, { packets: number; bytes: number }>;

/**
 * Counter deltas up to a cursor. Checkpoints every 512 steps make any cursor cost at most 512
 * steps of summing, so stepping through a 10,000-rule trace stays as fast as a small one.
 */
export class CounterCache {
  private static readonly EVERY = 512;
  private readonly checkpoints: Totals[] = [new Map()];
  constructor(private readonly trace: Trace) {}

  private addSteps(into: Totals, from: number, to: number) {
    for (let i = from; i <= to; i++) {
      for (const d of this.trace.steps[i]?.counters ?? []) {
        const key = counterKey(d);
        const t = into.get(key);
        into.set(key, { packets: (t?.packets ?? 0) + d.packets, bytes: (t?.bytes ?? 0) + d.bytes });
      }
    }
  }

  /** Deltas of steps 0..cursor inclusive. */
  at(cursor: number): ReadonlyMap<CounterKey, { packets: number; bytes: number }> {
    const every = CounterCache.EVERY;
    const k = Math.floor((cursor + 1) / every);
    // checkpoints[j] holds the deltas of steps 0 .. j*every-1.
    while (this.checkpoints.length <= k) {
      const j = this.checkpoints.length;
      const next = new Map(this.checkpoints[j - 1]);
      this.addSteps(next, (j - 1) * every, j * every - 1);
      this.checkpoints.push(next);
    }
    const result = new Map(this.checkpoints[k]);
    this.addSteps(result, k * every, cursor);
    return result;
  }
}
