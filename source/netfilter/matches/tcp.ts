/** `-m tcp`: ports, `--tcp-flags MASK COMP`, `--syn`, `--tcp-option` (libxt_tcp.c). */

import type { TcpFlags } from '../../model/index.js';
import {
  bang,
  fail,
  group,
  isError,
  ok,
  optionTable,
  PORT_EXPECTED,
  parsePortRange,
} from '../extension.js';
import { negation, phrase, val } from '../listing-phrase.js';
import type { MatchModule } from '../vocabulary.js';
import { listPorts, type PortMatch, portArgs, portMatches, savePorts } from './ports.js';

const FLAG_BITS: Readonly<Record<string, number>> = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ALL: 63,
  NONE: 0,
};
const FLAG_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const;

export interface TcpData {
  readonly sport?: PortMatch;
  readonly dport?: PortMatch;
  readonly flags?: { readonly mask: number; readonly comp: number; readonly negated: boolean };
  readonly option?: { readonly kind: number; readonly negated: boolean };
}

function parseFlags(text: string): number | undefined {
  let bits = 0;
  for (const name of text.split(',')) {
    const bit = FLAG_BITS[name.toUpperCase()];
    if (bit === undefined) return undefined;
    bits |= bit;
  }
  return bits;
}

function formatFlags(bits: number): string {
  if (bits === 0) return 'NONE';
  return FLAG_ORDER.filter((name) => (bits & (FLAG_BITS[name] ?? 0)) !== 0).join(',');
}

export function packetFlagBits(flags: TcpFlags | undefined): number {
  if (!flags) return 0;
  return (
    (flags.fin ? 1 : 0) |
    (flags.syn ? 2 : 0) |
    (flags.rst ? 4 : 0) |
    (flags.psh ? 8 : 0) |
    (flags.ack ? 16 : 0) |
    (flags.urg ? 32 : 0)
  );
}

export const tcp: MatchModule<TcpData> = {
  kind: 'match',
  name: 'tcp',
  options: optionTable({
    sport: 1,
    'source-port': ['sport', 1],
    dport: 1,
    'destination-port': ['dport', 1],
    'tcp-flags': 2,
    syn: 0,
    'tcp-option': 1,
  }),
  parse(options) {
    const g = group('tcp', options, this.options);
    if (isError(g)) return { ok: false, ...g };
    const data: { -readonly [K in keyof TcpData]: TcpData[K] } = {};
    for (const key of ['sport', 'dport'] as const) {
      const given = g.get(key);
      if (!given) continue;
      const range = parsePortRange(given.values[0] ?? '');
      if (!range) {
        return fail(
          `tcp: invalid port "${given.values[0]}" for --${key}`,
          PORT_EXPECTED,
          given.values[0],
          given.index,
        );
      }
      data[key] = { range, negated: given.negated };
    }
    const flags = g.get('tcp-flags');
    const syn = g.get('syn');
    if (flags && syn) {
      return fail(
        'tcp: only one of --syn or --tcp-flags is allowed',
        '--syn or --tcp-flags',
        '--syn and --tcp-flags',
        Math.max(flags.index, syn.index),
      );
    }
    if (flags) {
      const mask = parseFlags(flags.values[0] ?? '');
      const comp = parseFlags(flags.values[1] ?? '');
      if (mask === undefined || comp === undefined) {
        return fail(
          'tcp: invalid --tcp-flags',
          'two comma lists of FIN,SYN,RST,PSH,ACK,URG,ALL,NONE',
          flags.values.join(' '),
          flags.index,
        );
      }
      data.flags = { mask, comp, negated: flags.negated };
    } else if (syn) {
      data.flags = { mask: 0x17, comp: 0x02, negated: syn.negated };
    }
    const option = g.get('tcp-option');
    if (option) {
      const kind = Number(option.values[0]);
      // Kind 0 ends the option list: libxt_tcp refuses it ("Bad TCP option").
      if (!Number.isInteger(kind) || kind < 1 || kind > 255) {
        return fail('tcp: invalid --tcp-option', 'a number 1-255', option.values[0], option.index);
      }
      data.option = { kind, negated: option.negated };
    }
    return ok(data);
  },
  checksProtocolOnly: true,
  check(_data, where) {
    if (where.protocol !== 'tcp' || where.protocolNegated) {
      return 'the tcp match needs "-p tcp"';
    }
    return undefined;
  },
  save(d) {
    const parts = savePorts(d.sport, d.dport);
    if (d.option) parts.push(`${bang(d.option.negated)}--tcp-option ${d.option.kind}`);
    if (d.flags) {
      parts.push(
        `${bang(d.flags.negated)}--tcp-flags ${formatFlags(d.flags.mask)} ${formatFlags(d.flags.comp)}`,
      );
    }
    return parts.join(' ');
  },
  list(d) {
    const parts = ['tcp', ...listPorts(d.sport, d.dport)];
    if (d.option) parts.push(`option=${d.option.negated ? '!' : ''}${d.option.kind}`);
    if (d.flags) {
      parts.push(
        `flags:${d.flags.negated ? '!' : ''}0x${hex2(d.flags.mask)}/0x${hex2(d.flags.comp)}`,
      );
    }
    return parts.join(' ');
  },
  listing: [
    phrase(
      String.raw`tcp((?: +(?:spt|dpt)s?:!?\S+)*)(?: +option=(!?)(\d+))?(?: +flags:(!?)0x([0-9A-Fa-f]{2})\/0x([0-9A-Fa-f]{2}))?`,
      (m) => {
        const ports = portArgs(m[1] ?? '');
        if ('lost' in ports) return ports;
        return [
          ...ports,
          ...(m[3] !== undefined ? [...negation(m[2]), '--tcp-option', val(m[3])] : []),
          ...(m[5] !== undefined && m[6] !== undefined
            ? [
                ...negation(m[4]),
                '--tcp-flags',
                val(formatFlags(Number.parseInt(m[5], 16))),
                val(formatFlags(Number.parseInt(m[6], 16))),
              ]
            : []),
        ];
      },
    ),
  ],
  examples: [
    '--dport 80',
    '! --sport 1024:65535 --dport 8080',
    '--tcp-flags FIN,SYN,RST,ACK SYN',
    '--dport 443 ! --tcp-option 2 ! --tcp-flags SYN,RST NONE',
  ],
  match(d, packet) {
    if (packet.protocol !== 'tcp') return { kind: 'no-match', why: 'not a TCP packet' };
    // xt_tcpudp: a fragment other than the first has no TCP header and never matches.
    if (packet.fragment) return { kind: 'no-match', why: 'a later fragment has no TCP header' };
    if (!portMatches(d.sport, packet.sport))
      return { kind: 'no-match', why: `sport ${packet.sport}` };
    if (!portMatches(d.dport, packet.dport))
      return { kind: 'no-match', why: `dport ${packet.dport}` };
    if (d.flags) {
      const hit = (packetFlagBits(packet.tcpFlags) & d.flags.mask) === d.flags.comp;
      if (hit === d.flags.negated) return { kind: 'no-match', why: 'TCP flags differ' };
    }
    if (d.option) return { kind: 'unknown', why: 'nfdb does not model TCP options' };
    return { kind: 'match' };
  },
};

function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
