/** `-m rpfilter`: reverse-path filter; kept and listed, not simulated yet. */
import { flag, phrase } from '../listing-phrase.js';
import { defineMatch, inTable, only, present } from '../simple-module.js';

export const rpfilter = defineMatch({
  name: 'rpfilter',
  unsimulated: 'the reverse-path filter is not modelled',
  // xt_rpfilter: raw and mangle tables, PREROUTING only.
  check: (_o, where) =>
    inTable('rpfilter', where.table === 'mangle' ? 'mangle' : 'raw', where) ??
    only('rpfilter', ['PREROUTING'], where),
  options: {
    loose: { arity: 0 },
    validmark: { arity: 0 },
    'accept-local': { arity: 0 },
    invert: { arity: 0 },
  },
  list: (o) =>
    ['rpfilter', ...present(o, ['loose', 'validmark', 'accept-local', 'invert'])].join(' '),
  listing: [
    phrase('rpfilter( +loose)?( +validmark)?( +accept-local)?( +invert)?', (m) => [
      ...flag('--loose', m[1]),
      ...flag('--validmark', m[2]),
      ...flag('--accept-local', m[3]),
      ...flag('--invert', m[4]),
    ]),
  ],
  examples: ['--invert', '--loose --validmark'],
  match: () => ({ kind: 'unknown', why: 'nfdb does not simulate the reverse-path filter' }),
});
