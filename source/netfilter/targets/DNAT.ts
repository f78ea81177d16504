/**
 * `-j DNAT --to-destination`: rewrites the destination of a connection's first packet; conntrack
 * applies the same to every later packet and the reverse to replies (nf_nat_core.c).
 */

import { flag, phrase, val } from '../listing-phrase.js';
import { defineTarget } from '../simple-module.js';
import { type NatRange, natCheck, natRangeReader } from './nat-range.js';

export const DNAT = defineTarget({
  name: 'DNAT',
  options: {
    'to-destination': { arity: 1, read: natRangeReader },
    random: { arity: 0 },
    persistent: { arity: 0 },
  },
  complete: (o) => (o['to-destination'] ? o : 'DNAT needs --to-destination'),
  check: natCheck('DNAT', ['PREROUTING', 'OUTPUT']),
  list: (o) =>
    [
      `to:${o['to-destination']?.text}`,
      ...(o.random ? ['random'] : []),
      ...(o.persistent ? ['persistent'] : []),
    ].join(' '),
  listing: [
    phrase(String.raw`to:(\S+)( +random)?( +persistent)?`, (m) => [
      '--to-destination',
      val(m[1] ?? ''),
      ...flag('--random', m[2]),
      ...flag('--persistent', m[3]),
    ]),
  ],
  examples: ['--to-destination 10.244.1.5:8080', '--to-destination 10.0.0.1-10.0.0.3 --random'],
  act(o) {
    const r = o['to-destination']?.value as NatRange;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'dnat', address: r.from, port: r.portFrom } },
    };
  },
});
