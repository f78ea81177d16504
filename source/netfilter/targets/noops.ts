/**
 * Targets that change nothing nfdb shows: TRACE (kernel trace logging), CHECKSUM (fills a
 * checksum), TCPMSS (rewrites the MSS option). They continue to the next rule, and say so.
 */

import type { MatchUse } from '../../model/index.js';
import { flag, opt, phrase } from '../listing-phrase.js';
import type { TcpData } from '../matches/tcp.js';
import { defineTarget, inTable, uint } from '../simple-module.js';

export const TRACE = defineTarget({
  name: 'TRACE',
  options: {},
  // xt_TRACE refuses other tables; iptables-nft makes TRACE an nftrace statement, valid anywhere.
  checkBackend: (_o, where, backend) =>
    backend === 'legacy' ? inTable('TRACE', 'raw', where) : undefined,
  list: () => '',
  // TRACE prints nothing: an empty phrase at the end of the line.
  listing: [phrase('', () => [])],
  examples: [''],
  act: () => ({ verdict: 'CONTINUE', note: 'TRACE: the kernel would log this packet’s path' }),
});

export const CHECKSUM = defineTarget({
  name: 'CHECKSUM',
  options: { 'checksum-fill': { arity: 0 } },
  combine: { required: [['checksum-fill']] },
  check: (_o, where) => inTable('CHECKSUM', 'mangle', where),
  list: (o) => (o['checksum-fill'] ? 'CHECKSUM fill' : 'CHECKSUM'),
  listing: [phrase('CHECKSUM( +fill)?', (m) => flag('--checksum-fill', m[1]))],
  examples: ['--checksum-fill'],
  act: () => ({
    verdict: 'CONTINUE',
    note: 'CHECKSUM fills in the checksum: a no-op for the path',
  }),
});

/** Whether a tcp match of the rule requires SYN set (xt_TCPMSS's find_syn_match). */
function matchesSyn(matches: readonly MatchUse[]): boolean {
  return matches.some((m) => {
    const flags = m.module === 'tcp' ? (m.data as TcpData).flags : undefined;
    return flags !== undefined && !flags.negated && (flags.comp & SYN) !== 0;
  });
}

const SYN = 0x02;

export const TCPMSS = defineTarget({
  name: 'TCPMSS',
  options: {
    // An IPv4 MSS leaves room for the 20-byte header: libxt_TCPMSS refuses more than 65515.
    'set-mss': { arity: 1, read: uint(65515, 'an MSS 0-65515') },
    'clamp-mss-to-pmtu': { arity: 0 },
  },
  combine: { required: [['set-mss', 'clamp-mss-to-pmtu']] },
  // xt_TCPMSS's checkentry: the rule must match TCP only.
  check: (_o, where) =>
    where.protocol === 'tcp' && !where.protocolNegated
      ? undefined
      : 'TCPMSS works on TCP packets only: the rule needs -p tcp',
  // ...and, but under nft_compat, match SYN packets only (find_syn_match).
  checkBackend: (_o, where, backend) =>
    backend === 'nft' || matchesSyn(where.matches ?? [])
      ? undefined
      : 'TCPMSS only works on TCP SYN packets: the rule needs --tcp-flags SYN,RST SYN or --syn',
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
