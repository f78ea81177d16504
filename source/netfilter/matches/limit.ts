/**
 * `-m limit`: a token bucket over time. A trace has no real clock, so nfdb takes the rule as
 * matching and says so (result 'assumed').
 */

import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, type ValueReader } from '../simple-module.js';
import { rateReader } from './rate.js';

const burst: ValueReader<number> = (values) =>
  /^\d+$/.test(values[0] ?? '') && Number(values[0]) <= 10000
    ? { value: Number(values[0]), text: String(Number(values[0])) }
    : 'a burst 0-10000';

/**
 * xt_limit's checkentry (x_tables only; iptables-nft makes an nft limit): a burst of 0, or a
 * bucket (period x burst, in 32 bits) that overflows, is "Overflow, try lower".
 */
function bucketProblem(o: { limit?: { value: number }; 'limit-burst'?: { value: number } }) {
  const period = o.limit?.value ?? 12000000; // 3/hour, the default, in 1/10000 s
  const burst = o['limit-burst']?.value ?? 5;
  // user2credits with HZ x CREDITS_PER_JIFFY = 32000 (for HZ 250 and 1000 alike), in u32.
  const credits = (user: number) =>
    (user > Math.floor(0xffffffff / 32000)
      ? Math.floor(user / 10000) * 32000
      : Math.floor((user * 32000) / 10000)) % 0x100000000;
  const bucket = Number((BigInt(period) * BigInt(burst)) % 0x100000000n);
  return burst === 0 || credits(bucket) < credits(period)
    ? 'the rate and burst overflow the token bucket ("Overflow, try lower")'
    : undefined;
}

export const limit = defineMatch({
  name: 'limit',
  assumed: 'rates are assumed not exceeded',
  options: {
    // iptables 1.8.9 refuses `! --limit` ("cannot be inverted").
    limit: { arity: 1, read: rateReader(10000) },
    'limit-burst': { arity: 1, read: burst },
  },
  checkBackend: (o, _where, backend) => (backend === 'legacy' ? bucketProblem(o) : undefined),
  complete: (o) => (o['limit-burst']?.value === 5 ? { ...o, 'limit-burst': undefined } : o),
  list: (o) =>
    `limit: ${o.limit?.negated ? '! ' : ''}avg ${o.limit?.text ?? '3/hour'} burst ${o['limit-burst']?.text ?? 5}`,
  listing: [
    phrase(String.raw`limit: +(! +)?avg +(\S+) +burst +(\d+)`, (m) => [
      ...negation(m[1]),
      '--limit',
      val(m[2] ?? ''),
      '--limit-burst',
      val(m[3] ?? ''),
    ]),
  ],
  examples: ['--limit 5/sec', '--limit 3/min --limit-burst 10'],
  match: (o) => ({
    kind: 'assumed',
    matched: !o.limit?.negated,
    note: `limit ${o.limit?.text ?? '3/hour'}: nfdb assumes the rate is not exceeded`,
  }),
});
