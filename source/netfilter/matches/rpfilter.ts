/** `-m rpfilter`: reverse-path filter; kept and listed, not simulated yet. */
import { defineMatch } from '../simple-module.js';

export const rpfilter = defineMatch({
  name: 'rpfilter',
  unsimulated: 'the reverse-path filter is not modelled',
  options: {
    loose: { arity: 0 },
    validmark: { arity: 0 },
    'accept-local': { arity: 0 },
    invert: { arity: 0 },
  },
  list: (o) =>
    ['rpfilter', ...['loose', 'validmark', 'accept-local', 'invert'].filter((n) => o[n])].join(' '),
  match: () => ({ kind: 'unknown', why: 'nfdb does not simulate the reverse-path filter' }),
});
