/**
 * Targets that change nothing nfdb shows: TRACE (kernel trace logging), CHECKSUM (fills a
 * checksum), TCPMSS (rewrites the MSS option). They continue to the next rule, and say so.
 */

import { flag, opt, phrase } from '../listing-phrase.js';
import { defineTarget, inTable, uint } from '../simple-module.js';

export const TRACE = defineTarget({
  name: 'TRACE',
  options: {},
  check: (_o, where) => inTable('TRACE', 'raw', where),
  list: () => '',
  // TRACE prints nothing: an empty phrase at the end of the line.
  listing: [phrase('', () => [])],
  examples: [''],
  act: () => ({ verdict: 'CONTINUE', note: 'TRACE: the kernel would log this packet’s path' }),
});

export const CHECKSUM = defineTarget({
  name: 'CHECKSUM',
  options: { 'checksum-fill': { arity: 0 } },
  check: (_o, where) => inTable('CHECKSUM', 'mangle', where),
  list: (o) => (o['checksum-fill'] ? 'CHECKSUM fill' : 'CHECKSUM'),
  listing: [phrase('CHECKSUM( +fill)?', (m) => flag('--checksum-fill', m[1]))],
  examples: ['--checksum-fill'],
  act: () => ({
    verdict: 'CONTINUE',
    note: 'CHECKSUM fills in the checksum: a no-op for the path',
  }),
});

export const TCPMSS = defineTarget({
  name: 'TCPMSS',
  options: {
    'set-mss': { arity: 1, read: uint(65535, 'an MSS 0-65535') },
    'clamp-mss-to-pmtu': { arity: 0 },
  },
  complete: (o) =>
    o['set-mss'] || o['clamp-mss-to-pmtu'] ? o : 'TCPMSS needs --set-mss or --clamp-mss-to-pmtu',
  list: (o) =>
    o['clamp-mss-to-pmtu'] ? 'TCPMSS clamp to PMTU' : `TCPMSS set ${o['set-mss']?.text}`,
  listing: [
    phrase(String.raw`TCPMSS +(?:(clamp to PMTU)|set +(\d+))`, (m) => [
      ...flag('--clamp-mss-to-pmtu', m[1]),
      ...opt('--set-mss', m[2]),
    ]),
  ],
  examples: ['--clamp-mss-to-pmtu', '--set-mss 1400'],
  act: () => ({
    verdict: 'CONTINUE',
    note: 'TCPMSS rewrites the MSS option: a no-op for the path',
  }),
});
