/**
 * Counters as the formats write them (`[PACKETS:BYTES]`, `-c PACKETS BYTES`, `counter packets N
 * bytes M`, a `-L -v -x` column): digit text to exact 64-bit counters, or the count that does not
 * fit.
 */
import {
  COUNTER_LIMIT,
  type Counters,
  type CountName,
  countersOf,
  countValue,
} from '../model/index.js';

export const COUNTER_MAX = String(COUNTER_LIMIT - 1n);

/** Counters from two runs of digits, or the name of the one that is 2^64 or more. */
export function countersFromText(packets: string, bytes: string): Counters | CountName {
  // The common case, a count of up to 15 digits, is a plain number: no bigint on the way.
  if (packets.length < 16 && bytes.length < 16)
    return { packets: Number(packets), bytes: Number(bytes) };
  const p = countValue(packets);
  if (p === undefined) return 'packets';
  const b = countValue(bytes);
  if (b === undefined) return 'bytes';
  return countersOf(p, b);
}

/** The words of the error for a count that no 64-bit counter holds. */
export function tooBigCount(which: CountName): { message: string; expected: string } {
  return {
    message: `${which} counter does not fit in 64 bits`,
    expected: `a count from 0 to ${COUNTER_MAX}`,
  };
}
