/**
 * The kernel's counters are 64-bit (`struct xt_counters`, nft's `counter`), past what a JS number
 * holds exactly (2^53). The hot path adds small numbers; a loaded count above 2^53 keeps its
 * exact decimal text beside the rounded number (`exact`), and sums and printing go through the
 * helpers here, so `18446744073709551615` prints back as itself.
 */
import type { Counters } from './ruleset.js';

/** One past the largest counter: the kernel's u64 wraps here. */
export const COUNTER_LIMIT = 1n << 64n;

export type CountName = 'packets' | 'bytes';

/**
 * A count as decimal text (digits only, as iptables-save and nft print it): its value, or
 * undefined for 2^64 and above, which no 64-bit counter can hold.
 */
export function countValue(text: string): bigint | undefined {
  // Most counts are short: skip the bigint for them.
  const value = text.length < 16 ? BigInt(Number(text)) : BigInt(text);
  return value < COUNTER_LIMIT ? value : undefined;
}

/** Counters from two exact values, keeping the decimal text where a number would round them. */
export function countersOf(packets: bigint, bytes: bigint): Counters {
  const p = Number(packets);
  const b = Number(bytes);
  if (Number.isSafeInteger(p) && Number.isSafeInteger(b)) return { packets: p, bytes: b };
  return { packets: p, bytes: b, exact: { packets: String(packets), bytes: String(bytes) } };
}

/** One count exactly. */
export function exactCount(c: Counters, which: CountName): bigint {
  const text = c.exact?.[which];
  return text === undefined ? BigInt(c[which]) : BigInt(text);
}

/** One count as decimal text, exactly (what `-x`, iptables-save -c and nft print). */
export function countText(c: Counters, which: CountName): string {
  return c.exact?.[which] ?? String(c[which]);
}

/**
 * `a` plus `b`, exactly. Plain numbers while the sums stay below 2^53 (every simulated packet);
 * past 2^64 it wraps as the kernel's u64 does.
 */
export function addCounters(a: Counters, b: Counters): Counters {
  const packets = a.packets + b.packets;
  const bytes = a.bytes + b.bytes;
  if (
    a.exact === undefined &&
    b.exact === undefined &&
    Number.isSafeInteger(packets) &&
    Number.isSafeInteger(bytes)
  )
    return { packets, bytes };
  return countersOf(
    (exactCount(a, 'packets') + exactCount(b, 'packets')) % COUNTER_LIMIT,
    (exactCount(a, 'bytes') + exactCount(b, 'bytes')) % COUNTER_LIMIT,
  );
}
