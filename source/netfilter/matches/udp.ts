/** `-m udp`: `--sport`, `--dport` with ranges (libxt_udp.c). */
import { PORT_EXPECTED, type PortRange, parseWrappedPortRange } from '../extension.js';
import { phrase } from '../listing-phrase.js';
import { defineMatch, type Given, MATCH, noMatch, type ValueReader } from '../simple-module.js';
import { type PortMatch, portArgs, portMatches } from './ports.js';

export const portRange: ValueReader<PortMatch['range']> = (values) => {
  const range = parseWrappedPortRange(values[0] ?? '');
  if (!range) return PORT_EXPECTED;
  return {
    value: range,
    text: range.from === range.to ? `${range.from}` : `${range.from}:${range.to}`,
  };
};

export function portOf(given: Given<PortRange> | undefined): PortMatch | undefined {
  return given ? { range: given.value, negated: given.negated } : undefined;
}

/** What udp's options hold: its ports, each as its reader gives it. */
interface PortOptions {
  readonly sport?: Given<PortRange>;
  readonly dport?: Given<PortRange>;
}

export function listPortText(o: PortOptions): string[] {
  const parts: string[] = [];
  for (const [name, label] of [
    ['sport', 'spt'],
    ['dport', 'dpt'],
  ] as const) {
    const p = portOf(o[name]);
    if (!p) continue;
    const plural = p.range.from !== p.range.to ? 's' : '';
    parts.push(`${label}${plural}:${p.negated ? '!' : ''}${o[name]?.text}`);
  }
  return parts;
}

export function protocolCheck(protocol: string) {
  return (_o: unknown, where: { protocol?: string; protocolNegated: boolean }) =>
    where.protocol === protocol && !where.protocolNegated
      ? undefined
      : `the ${protocol} match needs "-p ${protocol}"`;
}

export const udp = defineMatch({
  name: 'udp',
  options: {
    sport: { arity: 1, aliases: ['source-port'], read: portRange, negatable: true },
    dport: { arity: 1, aliases: ['destination-port'], read: portRange, negatable: true },
  },
  check: protocolCheck('udp'),
  checksProtocolOnly: true,
  list: (o) => ['udp', ...listPortText(o)].join(' '),
  listing: [phrase(String.raw`udp((?: +(?:spt|dpt)s?:!?\S+)*)`, (m) => portArgs(m[1] ?? ''))],
  examples: ['--dport 53', '! --sport 1024:65535 --dport 53'],
  match(o, packet) {
    if (packet.protocol !== 'udp') return noMatch('not a UDP packet');
    if (packet.fragment) return noMatch('a later fragment has no UDP header');
    if (!portMatches(portOf(o.sport), packet.sport)) return noMatch(`sport ${packet.sport}`);
    if (!portMatches(portOf(o.dport), packet.dport)) return noMatch(`dport ${packet.dport}`);
    return MATCH;
  },
});
