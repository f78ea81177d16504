/** `-m socket`: a local socket exists for this packet (xt_socket.c); TPROXY setups use it. */
import { flag, phrase } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, only, present } from '../simple-module.js';

export const socket = defineMatch({
  name: 'socket',
  options: {
    transparent: { arity: 0 },
    nowildcard: { arity: 0 },
    'restore-skmark': { arity: 0 },
  },
  check: (_o, where) => only('-m socket', ['PREROUTING', 'INPUT'], where),
  list: (o) =>
    [
      'socket',
      ...present(o, ['transparent', 'nowildcard', 'restore-skmark']).map((n) => `--${n}`),
    ].join(' '),
  listing: [
    phrase('socket( +--transparent)?( +--nowildcard)?( +--restore-skmark)?', (m) => [
      ...flag('--transparent', m[1]),
      ...flag('--nowildcard', m[2]),
      ...flag('--restore-skmark', m[3]),
    ]),
  ],
  examples: ['--transparent', '--transparent --nowildcard'],
  match(o, packet, ctx) {
    const found = ctx.findSocket(packet);
    if (!found) return noMatch('no local socket for this packet');
    // xt_socket ignores a socket bound to 0.0.0.0 / :: unless --nowildcard is given.
    if (found.wildcard && !o.nowildcard) {
      return noMatch('the socket is bound to a wildcard address (needs --nowildcard)');
    }
    if (o.transparent && !found.transparent) return noMatch('the socket is not IP_TRANSPARENT');
    if (o['restore-skmark']) return { kind: 'unknown', why: 'nfdb does not model socket marks' };
    return MATCH;
  },
});
