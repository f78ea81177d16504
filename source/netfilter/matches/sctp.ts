/**
 * `-m sctp` (or `-p sctp --dport`): ports with ranges, as udp has them, and `--chunk-types`
 * (libxt_sctp.c). nfdb's packets carry no SCTP chunks: a chunk-types condition is assumed met.
 */
import { PORT_EXPECTED, type PortRange } from '../extension.js';
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';
import { portArgs, portMatches } from './ports.js';
import { listPortText, portOf, portRange, protocolCheck } from './udp.js';

/** libxt_sctp's chunk names (sctp_chunk_names), and the flags a few of them take. */
const CHUNKS = [
  'DATA',
  'INIT',
  'INIT_ACK',
  'SACK',
  'HEARTBEAT',
  'HEARTBEAT_ACK',
  'ABORT',
  'SHUTDOWN',
  'SHUTDOWN_ACK',
  'ERROR',
  'COOKIE_ECHO',
  'COOKIE_ACK',
  'ECN_ECNE',
  'ECN_CWR',
  'SHUTDOWN_COMPLETE',
  'I_DATA',
  'RE_CONFIG',
  'PAD',
  'ASCONF',
  'ASCONF_ACK',
  'FORWARD_TSN',
  'I_FORWARD_TSN',
  'ALL',
  'NONE',
];
const FLAGS: Readonly<Record<string, RegExp>> = {
  DATA: /^[IUBEiube]+$/,
  I_DATA: /^[IUBEiube]+$/,
  ABORT: /^[Tt]+$/,
  SHUTDOWN_COMPLETE: /^[Tt]+$/,
};

function chunkOk(item: string): boolean {
  const [name = '', flags, ...rest] = item.split(':');
  const upper = name.toUpperCase();
  if (rest.length > 0 || !CHUNKS.includes(upper)) return false;
  return flags === undefined || (FLAGS[upper]?.test(flags) ?? false);
}

/**
 * libxt_sctp reads ports strictly (xtables_parse_port, then "min > max" refused), where udp's
 * and tcp's readers wrap numbers past 65535 and take a reversed range.
 */
const sctpPorts: ValueReader<PortRange> = (values, family) => {
  const raw = values[0] ?? '';
  if (raw.split(':').some((p) => /^\d+$/.test(p) && Number(p) > 65535)) return PORT_EXPECTED;
  const read = portRange(values, family);
  if (typeof read === 'string') return read;
  return read.value.from <= read.value.to ? read : `${PORT_EXPECTED}, the lower first`;
};

const CHUNK_EXPECTED = 'all, any or only, then chunk types such as INIT,SACK or DATA:Be';

/** `--chunk-types {all|any|only} CHUNK[:FLAGS][,...]`. */
const chunkTypes: ValueReader<string> = (values) => {
  const [mode = '', list = ''] = values;
  if (!['all', 'any', 'only'].includes(mode) || !list.split(',').every(chunkOk))
    return CHUNK_EXPECTED;
  const text = `${mode} ${list}`;
  return { value: text, text };
};

export const sctp = defineMatch({
  name: 'sctp',
  options: {
    sport: { arity: 1, aliases: ['source-port'], read: sctpPorts, negatable: true },
    dport: { arity: 1, aliases: ['destination-port'], read: sctpPorts, negatable: true },
    'chunk-types': { arity: 2, read: chunkTypes, negatable: true },
  },
  check: protocolCheck('sctp'),
  checksProtocolOnly: true,
  list: (o) =>
    [
      'sctp',
      ...listPortText(o),
      ...(o['chunk-types']
        ? [`${o['chunk-types'].negated ? '! ' : ''}${o['chunk-types'].text}`]
        : []),
    ].join(' '),
  listing: [
    phrase(String.raw`sctp((?: +(?:spt|dpt)s?:!?\S+)*)(?: +(! +)?(any|all|only) +(\S+))?`, (m) => {
      const ports = portArgs(m[1] ?? '');
      if ('lost' in ports || m[3] === undefined) return ports;
      return [...ports, ...negation(m[2]), '--chunk-types', val(m[3]), val(m[4] ?? '')];
    }),
  ],
  examples: ['--dport 5060', '--sport 1024:65535 --dport 38412 --chunk-types any INIT'],
  match(o, packet) {
    if (packet.protocol !== 'sctp') return noMatch('not an SCTP packet');
    if (packet.fragment) return noMatch('a later fragment has no SCTP header');
    if (!portMatches(portOf(o.sport), packet.sport)) return noMatch(`sport ${packet.sport}`);
    if (!portMatches(portOf(o.dport), packet.dport)) return noMatch(`dport ${packet.dport}`);
    if (o['chunk-types'])
      return {
        kind: 'assumed',
        matched: true,
        note: 'sctp: nfdb does not model SCTP chunks; --chunk-types is assumed to match',
      };
    return MATCH;
  },
});
