/**
 * `-j REDIRECT --to-ports`: DNAT to this host. In PREROUTING the new destination is the primary
 * address of the incoming interface; in OUTPUT it is 127.0.0.1 (::1) (nf_nat_redirect.c).
 */

import { flag, opt, phrase } from '../listing-phrase.js';
import { defineTarget } from '../simple-module.js';
import { natCheck, portsReader } from './nat-range.js';

export const REDIRECT = defineTarget({
  name: 'REDIRECT',
  options: {
    'to-ports': { arity: 1, aliases: ['to-port'], read: portsReader },
    random: { arity: 0 },
  },
  check: natCheck('REDIRECT', ['PREROUTING', 'OUTPUT']),
  list: (o) =>
    [
      ...(o['to-ports'] ? [`redir ports ${o['to-ports'].text}`] : []),
      ...(o.random ? ['random'] : []),
    ].join(' '),
  listing: [
    phrase(String.raw`(?:redir ports +(\S+))?(?: *(random))?`, (m) => [
      ...opt('--to-ports', m[1]),
      ...flag('--random', m[2]),
    ]),
  ],
  examples: ['--to-ports 15001', '--to-ports 8000-8010 --random', ''],
  act(o, packet, ctx) {
    const ports = o['to-ports']?.value;
    const local = packet.family === 'ipv4' ? '127.0.0.1' : '::1';
    const address =
      ctx.hook === 'PREROUTING' && packet.inInterface
        ? ctx.primaryAddress(packet.inInterface)
        : local;
    if (address === undefined)
      return { verdict: 'DROP', note: 'the incoming interface has no address: REDIRECT drops' };
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'dnat', address, port: ports?.[0] ?? packet.dport } },
    };
  },
});
