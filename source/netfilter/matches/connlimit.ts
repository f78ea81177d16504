/** `-m connlimit`: counts a host's connections; nfdb's trace has too few to decide: not simulated. */
import { phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Options,
  prefixLength,
  uint,
  type ValueReader,
} from '../simple-module.js';

const anyLength = uint(0xffffffff, 'a prefix 0-32');

/** libxt_connlimit takes any u32 as an IPv4 mask and one past 32 as 32 (saved so); IPv6 0-128. */
const connlimitMask: ValueReader<number> = (values, family) => {
  if (family !== 'ipv4') return prefixLength(values, family);
  const read = anyLength(values, family);
  return typeof read === 'string' || read.value <= 32 ? read : { value: 32, text: '32' };
};

function completeConnlimit(o: Options, family: 'ipv4' | 'ipv6'): Options {
  const mask = family === 'ipv4' ? '32' : '128';
  return {
    ...o,
    'connlimit-mask': o['connlimit-mask'] ?? { value: Number(mask), text: mask, negated: false },
    'connlimit-saddr': o['connlimit-daddr'] ? undefined : { value: true, text: '', negated: false },
  };
}

export const connlimit = defineMatch({
  name: 'connlimit',
  combine: {
    required: [['connlimit-upto', 'connlimit-above']],
    conflicts: [
      ['connlimit-upto', 'connlimit-above'],
      ['connlimit-saddr', 'connlimit-daddr'],
    ],
  },
  unsimulated: 'per-host connection counts are not modelled',
  options: {
    'connlimit-upto': { arity: 1, read: uint(0xffffffff, 'a count 0-4294967295'), negatable: true },
    'connlimit-above': {
      arity: 1,
      read: uint(0xffffffff, 'a count 0-4294967295'),
      negatable: true,
    },
    'connlimit-mask': { arity: 1, read: connlimitMask },
    'connlimit-saddr': { arity: 0 },
    'connlimit-daddr': { arity: 0 },
  },
  complete: completeConnlimit,
  list: (o) =>
    `#conn ${o['connlimit-daddr'] ? 'dst' : 'src'}/${o['connlimit-mask']?.text} ${o['connlimit-above'] ? '>' : '<='} ${(o['connlimit-above'] ?? o['connlimit-upto'])?.text}`,
  listing: [
    phrase(String.raw`#conn +(src|dst)\/(\d+) +(>|<=) +(\d+)`, (m) => [
      m[3] === '>' ? '--connlimit-above' : '--connlimit-upto',
      val(m[4] ?? ''),
      '--connlimit-mask',
      val(m[2] ?? ''),
      m[1] === 'dst' ? '--connlimit-daddr' : '--connlimit-saddr',
    ]),
  ],
  examples: ['--connlimit-above 10 --connlimit-mask 32 --connlimit-saddr'],
  match: () => ({ kind: 'unknown', why: 'nfdb does not count concurrent connections per host' }),
});
