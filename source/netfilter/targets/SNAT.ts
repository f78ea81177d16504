/** `-j SNAT --to-source`: rewrites the source of a connection (decided on its first packet). */
import { defineTarget } from '../simple-module.js';
import { type NatRange, natCheck, natRangeReader } from './nat-range.js';

export const SNAT = defineTarget({
  name: 'SNAT',
  options: {
    'to-source': { arity: 1, read: natRangeReader },
    random: { arity: 0 },
    'random-fully': { arity: 0 },
    persistent: { arity: 0 },
  },
  complete: (o) => (o['to-source'] ? o : 'SNAT needs --to-source'),
  check: natCheck('SNAT', ['POSTROUTING', 'INPUT']),
  list: (o) =>
    [
      `to:${o['to-source']?.text}`,
      ...['random', 'random-fully', 'persistent'].filter((n) => o[n]),
    ].join(' '),
  act(o) {
    const r = o['to-source']?.value as NatRange;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', address: r.from, port: r.portFrom } },
    };
  },
});
