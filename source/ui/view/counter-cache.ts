import type { Trace } from '../../model/index.js';
import { type CounterKey, counterKey } from '../../trace/counters.js';

type Counts = { packets: number; bytes: number };
type Totals = Map<CounterKey, Counts>;

/** Counter deltas as they stand at a cursor; read one counter at a time. */
export type CounterTotals = Pick<ReadonlyMap<CounterKey, Counts>, 'get'>;

/**
 * Counter deltas up to a cursor. Only the steps where counters move are summed (a kube-proxy
 * packet passes thousands of rules and moves a handful of counters), from checkpoints every 64 of
 * them, and a cursor's totals are read through the checkpoint rather than copied: a frame costs
 * the same however long the trace and however many counters it has moved.
 */
export class CounterCache {
  private static readonly EVERY = 64;
  /** Indices of the steps whose counters move, in order. */
  private readonly moving: number[] = [];
  /** checkpoints[j] holds the deltas of moving[0 .. j*EVERY-1]. */
  private readonly checkpoints: Totals[] = [new Map()];
  constructor(private readonly trace: Trace) {
    trace.steps.forEach((s, i) => {
      if (s.counters.length > 0) this.moving.push(i);
    });
  }

  private add(into: Totals, from: number, to: number) {
    for (let m = from; m < to; m++) {
      for (const d of this.trace.steps[this.moving[m] ?? -1]?.counters ?? []) {
        const key = counterKey(d);
        const t = into.get(key);
        into.set(key, { packets: (t?.packets ?? 0) + d.packets, bytes: (t?.bytes ?? 0) + d.bytes });
      }
    }
  }

  /** How many of the moving steps are at or before the cursor. */
  private movedBy(cursor: number): number {
    let lo = 0;
    let hi = this.moving.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.moving[mid] ?? 0) <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Deltas of steps 0..cursor inclusive. */
  at(cursor: number): CounterTotals {
    const every = CounterCache.EVERY;
    const upto = this.movedBy(cursor);
    const k = Math.floor(upto / every);
    while (this.checkpoints.length <= k) {
      const j = this.checkpoints.length;
      const next = new Map(this.checkpoints[j - 1]);
      this.add(next, (j - 1) * every, j * every);
      this.checkpoints.push(next);
    }
    const base = this.checkpoints[k] ?? new Map<CounterKey, Counts>();
    const rest: Totals = new Map();
    this.add(rest, k * every, upto);
    return {
      get(key) {
        const a = base.get(key);
        const b = rest.get(key);
        return a && b ? { packets: a.packets + b.packets, bytes: a.bytes + b.bytes } : (a ?? b);
      },
    };
  }
}
