/** `-m hashlimit`: per-flow rate limits; like limit, assumed not exceeded (and said so). */
import { opt, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Options,
  prefixLength,
  present,
  saveOptions,
  uint,
  type ValueReader,
} from '../simple-module.js';
import { rateReader } from './rate.js';

const packetRate = rateReader(1000000);

/**
 * A packet rate (`50/sec`), or a byte rate (`10mb/s`, `4kb/s`: libxt_hashlimit's byte mode),
 * kept as written: nfdb assumes no rate is exceeded, so only the kernel tools' refusals matter.
 */
const rate: ValueReader<number> = (values, family) => {
  const bytes = /^(\d+)(b|kb|mb|gb)\/s$/.exec(values[0] ?? '');
  if (bytes) return { value: 0, text: values[0] ?? '' };
  return packetRate(values, family);
};

/** A burst in packets 1-1000000, or in bytes (`400kb`) as byte mode takes it. */
const burst: ValueReader<string> = (values) => {
  const raw = values[0] ?? '';
  const m = /^(\d+)(b|kb|mb)?$/.exec(raw);
  const n = Number(m?.[1]);
  if (!m || (m[2] === undefined && (n < 1 || n > 1000000)))
    return 'a burst 1-1000000, or bytes as 400kb';
  return { value: raw, text: raw };
};

/** A byte rate's bytes a second (libxt_hashlimit parse_bytes: b, kb, mb, gb, in 1024s). */
function bytesPerSecond(text: string): number | undefined {
  const m = /^(\d+)(b|kb|mb|gb)\/s$/.exec(text);
  return m ? Number(m[1]) * 1024 ** ['b', 'kb', 'mb', 'gb'].indexOf(m[2] ?? 'b') : undefined;
}

/** A burst in bytes (`400kb`: parse_burst's 1024s), or undefined for a count of packets. */
function burstBytes(text: string): number | undefined {
  const m = /^(\d+)(b|kb|mb)$/.exec(text);
  return m ? Number(m[1]) * 1024 ** ['b', 'kb', 'mb'].indexOf(m[2] ?? 'b') : undefined;
}

const U32 = 0xffffffff;
/**
 * The least byte burst a byte rate allows: the rate as the kernel's cost per 16 bytes
 * (bytes_to_cost), and back (cost_to_bytes), as libxt_hashlimit checks it.
 */
function leastBurst(rate: number): number {
  const cost = Math.floor(U32 / (Math.floor(rate / 16) + 1));
  return (Math.floor(cost ? U32 / cost : U32) - 1) * 16;
}

/**
 * xt_hashlimit's overflow check, for a packet rate: user2credits(avg * burst) below
 * user2credits(avg) in u64 arithmetic is ERANGE ("overflow, try lower"). HZ * CREDITS_PER_JIFFY
 * is 1000 * 2^37 (HZ 1000 or 250: the kernels nfdb is checked against).
 */
const CREDITS = (1000n * (1n << 37n)) / 1_000_000n;
const U64 = 1n << 64n;
function overflows(period: number, burst: number): boolean {
  const credits = (user: bigint) => (user * CREDITS) % U64;
  const avg = BigInt(period);
  return credits((avg * BigInt(burst)) % U64) < credits(avg);
}

function checkRate(o: Options): string | undefined {
  const rate = o['hashlimit-upto'] ?? o['hashlimit-above'];
  if (!rate || o['hashlimit-rate-match']) return undefined;
  const burstText = o['hashlimit-burst']?.text;
  const bytes = bytesPerSecond(rate.text);
  if (bytes !== undefined) {
    const least = leastBurst(bytes);
    const burst =
      burstText === undefined ? undefined : (burstBytes(burstText) ?? Number(burstText));
    return burst !== undefined && burst < least
      ? `hashlimit: burst cannot be smaller than ${least}b (the byte rate ${rate.text})`
      : undefined;
  }
  const burst = burstText === undefined ? 5 : Number(burstText);
  return Number.isInteger(burst) && overflows(rate.value as number, burst)
    ? `hashlimit: rate ${rate.text} with burst ${burst} overflows the kernel's token bucket (ERANGE): try a higher rate or a lower burst`
    : undefined;
}

const MODES = ['srcip', 'srcport', 'dstip', 'dstport'];
const mode: ValueReader<string> = (values) => {
  const raw = values[0] ?? '';
  return raw.split(',').every((m) => MODES.includes(m))
    ? { value: raw, text: raw }
    : `a comma list of ${MODES.join(', ')}`;
};

const seconds: ValueReader<number> = (values) => {
  const raw = values[0] ?? '';
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 0xffffffff
    ? { value: Number(raw), text: raw }
    : 'a number of seconds, 1 or more';
};

const name: ValueReader<string> = (values) => {
  const raw = values[0] ?? '';
  return raw.length > 0 ? { value: raw, text: raw } : 'a name';
};

/** What the listing prints after the burst, in its order; the name it does not print. */
const LISTED_TAIL = [
  'mode',
  'htable-size',
  'htable-max',
  'htable-gcinterval',
  'htable-expire',
  'srcmask',
  'dstmask',
];

const ORDER = [
  'hashlimit-upto',
  'hashlimit-above',
  'hashlimit-burst',
  'hashlimit-mode',
  'hashlimit-name',
  'hashlimit-htable-size',
  'hashlimit-htable-max',
  'hashlimit-htable-gcinterval',
  'hashlimit-htable-expire',
  'hashlimit-srcmask',
  'hashlimit-dstmask',
  'hashlimit-rate-match',
  'hashlimit-rate-interval',
];

/** The table options after the mode, as the listing names them. */
function listTail(o: Options): string[] {
  return present(o, ORDER.slice(5, 11)).map((n) => `${n.replace('hashlimit-', '')} ${o[n]?.text}`);
}

export const hashlimit = defineMatch({
  name: 'hashlimit',
  combine: {
    required: [['hashlimit-upto', 'hashlimit-above'], ['hashlimit-name']],
    conflicts: [['hashlimit-upto', 'hashlimit-above']],
  },
  assumed: 'rates are assumed not exceeded',
  check: (o) => checkRate(o),
  options: {
    'hashlimit-upto': { arity: 1, aliases: ['hashlimit'], read: rate, negatable: true },
    'hashlimit-above': { arity: 1, read: rate, negatable: true },
    'hashlimit-burst': { arity: 1, read: burst },
    'hashlimit-mode': { arity: 1, read: mode },
    'hashlimit-name': { arity: 1, read: name },
    'hashlimit-htable-size': { arity: 1, read: uint(0xffffffff, 'a number') },
    'hashlimit-htable-max': { arity: 1, read: uint(0xffffffff, 'a number') },
    'hashlimit-htable-gcinterval': { arity: 1, read: uint(0xffffffff, 'a number') },
    'hashlimit-htable-expire': { arity: 1, read: uint(0xffffffff, 'a number') },
    'hashlimit-srcmask': { arity: 1, read: prefixLength },
    'hashlimit-dstmask': { arity: 1, read: prefixLength },
    'hashlimit-rate-match': { arity: 0 },
    'hashlimit-rate-interval': { arity: 1, read: seconds },
  },
  save: (o) => saveOptions(o, ORDER),
  list: (o) =>
    [
      `limit: ${o['hashlimit-above'] ? 'above' : 'up to'} ${(o['hashlimit-above'] ?? o['hashlimit-upto'])?.text}`,
      `burst ${o['hashlimit-burst']?.text ?? 5}`,
      ...(o['hashlimit-mode'] ? [`mode ${o['hashlimit-mode'].text}`] : []),
      ...listTail(o),
    ].join(' '),
  listing: [
    phrase(
      String.raw`limit: +(above|up to) +(\S+) +burst +(\d+)${LISTED_TAIL.map((n) => `(?: +${n} +(\\S+))?`).join('')}`,
      (m) => [
        m[1] === 'above' ? '--hashlimit-above' : '--hashlimit-upto',
        val(m[2] ?? ''),
        '--hashlimit-burst',
        val(m[3] ?? ''),
        ...LISTED_TAIL.flatMap((name, i) => opt(`--hashlimit-${name}`, m[4 + i])),
        // The kernel tools need a name, and -L does not print it: the table's name does not
        // change what nfdb shows (it assumes no rate is exceeded), so it is marked as not listed.
        '--hashlimit-name',
        val('unlisted'),
      ],
    ),
  ],
  examples: [
    '--hashlimit-upto 50/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name web',
  ],
  match: (o) => ({
    kind: 'assumed',
    matched: o['hashlimit-above'] === undefined,
    note: 'hashlimit: nfdb assumes no flow exceeds its rate',
  }),
});
