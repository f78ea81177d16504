/**
 * Rates as limit and hashlimit read and print them (libxt_limit.c parse_rate/print_rate):
 * stored as a period in 1/scale seconds, printed in the largest unit that divides it well.
 */
import type { ValueReader } from '../simple-module.js';

const UNITS = [
  ['day', 86400],
  ['hour', 3600],
  ['min', 60],
  ['sec', 1],
] as const;

export function printRate(period: number, scale: number): string {
  if (period === 0) return 'inf';
  let i = 1;
  for (; i < UNITS.length; i++) {
    const mult = scale * (UNITS[i]?.[1] ?? 1);
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, seconds] = UNITS[i - 1] ?? UNITS[3];
  return `${Math.floor((scale * seconds) / period)}/${name}`;
}

export function rateReader(scale: number): ValueReader<number> {
  return (values) => {
    const m = /^(\d+)(?:\/(\w+))?$/.exec(values[0] ?? '');
    if (!m) return 'a rate N/second, N/minute, N/hour or N/day';
    const n = Number(m[1]);
    const unit = (m[2] ?? 'hour').charAt(0);
    const seconds = { s: 1, m: 60, h: 3600, d: 86400 }[unit];
    if (seconds === undefined || n === 0) return 'a rate N/second, N/minute, N/hour or N/day';
    const period = Math.floor((scale * seconds) / n);
    // libxt_limit: a period of 0 in the kernel's units is "Rate too fast".
    if (period === 0) return `a rate of at most ${scale}/second`;
    return { value: period, text: printRate(period, scale) };
  };
}
