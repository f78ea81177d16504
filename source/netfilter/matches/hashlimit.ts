/** `-m hashlimit`: per-flow rate limits; like limit, assumed not exceeded (and said so). */
import { opt, phrase, val } from '../listing-phrase.js';
import { defineMatch, type Options, present, saveOptions, text } from '../simple-module.js';
import { rateReader } from './rate.js';

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
];

/** The table options after the mode, as the listing names them. */
function listTail(o: Options): string[] {
  return present(o, ORDER.slice(5)).map((n) => `${n.replace('hashlimit-', '')} ${o[n]?.text}`);
}

export const hashlimit = defineMatch({
  name: 'hashlimit',
  assumed: 'rates are assumed not exceeded',
  options: {
    'hashlimit-upto': { arity: 1, aliases: ['hashlimit'], read: rateReader(1000000) },
    'hashlimit-above': { arity: 1, read: rateReader(1000000) },
    'hashlimit-burst': { arity: 1, read: text },
    'hashlimit-mode': { arity: 1, read: text },
    'hashlimit-name': { arity: 1, read: text },
    'hashlimit-htable-size': { arity: 1, read: text },
    'hashlimit-htable-max': { arity: 1, read: text },
    'hashlimit-htable-gcinterval': { arity: 1, read: text },
    'hashlimit-htable-expire': { arity: 1, read: text },
    'hashlimit-srcmask': { arity: 1, read: text },
    'hashlimit-dstmask': { arity: 1, read: text },
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
