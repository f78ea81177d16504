/** `-j MASQUERADE`: SNAT to the outgoing interface's address, chosen when the packet leaves. */
import { defineTarget } from '../simple-module.js';
import { natCheck, portsReader } from './nat-range.js';

export const MASQUERADE = defineTarget({
  name: 'MASQUERADE',
  options: {
    'to-ports': { arity: 1, read: portsReader },
    random: { arity: 0 },
    'random-fully': { arity: 0 },
  },
  check: natCheck('MASQUERADE', ['POSTROUTING']),
  list: (o) =>
    [
      ...(o['to-ports'] ? [`masq ports: ${o['to-ports'].text}`] : []),
      ...['random', 'random-fully'].filter((n) => o[n]),
    ].join(' '),
  act(o) {
    const ports = o['to-ports']?.value as [number, number] | undefined;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', masquerade: true, port: ports?.[0] } },
    };
  },
});
