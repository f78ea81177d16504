/** `-j MASQUERADE`: SNAT to the outgoing interface's address, chosen when the packet leaves. */
import { flag, opt, phrase } from '../listing-phrase.js';
import { defineTarget, present } from '../simple-module.js';
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
      ...present(o, ['random', 'random-fully']),
    ].join(' '),
  listing: [
    phrase(String.raw`(?:masq ports: +(\S+))?(?: *(random))?(?: *(random-fully))?`, (m) => [
      ...opt('--to-ports', m[1]),
      ...flag('--random', m[2]),
      ...flag('--random-fully', m[3]),
    ]),
  ],
  examples: ['', '--random-fully', '--to-ports 1024-2048 --random'],
  act(o) {
    const ports = o['to-ports']?.value;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', masquerade: true, port: ports?.[0] } },
    };
  },
});
