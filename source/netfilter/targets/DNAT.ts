/**
 * `-j DNAT --to-destination`: rewrites the destination of a connection's first packet; conntrack
 * applies the same to every later packet and the reverse to replies (nf_nat_core.c).
 */
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
  act(o) {
    const r = o['to-destination']?.value as NatRange;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'dnat', address: r.from, port: r.portFrom } },
    };
  },
});
