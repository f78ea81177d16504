/** `-m multiport --dports/--sports/--ports` with up to 15 ports or ranges (libxt_multiport.c). */
import { inRange, type PortRange, parsePortRange } from '../extension.js';
import { type Arg, negation, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Given,
  MATCH,
  noMatch,
  type Options,
  present,
  type ValueReader,
} from '../simple-module.js';

const EXPECTED = 'a comma list of at most 15 ports, a FROM:TO range counting as two';

const portList: ValueReader<PortRange[]> = (values) => {
  const items = (values[0] ?? '').split(',');
  const ranges = items.map(parsePortRange);
  if (ranges.some((r) => r === undefined)) return EXPECTED;
  const value = ranges as PortRange[];
  // The kernel keeps 15 slots (XT_MULTI_PORTS); a range takes two of them.
  const slots = items.reduce((n, item) => n + (item.includes(':') ? 2 : 1), 0);
  if (slots > 15) return EXPECTED;
  return {
    value,
    text: value.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`)).join(','),
  };
};

function hits(given: Given<PortRange[]> | undefined, port: number): boolean | undefined {
  if (!given) return undefined;
  const hit = given.value.some((r) => inRange(port, r));
  return hit !== given.negated;
}

export const multiport = defineMatch({
  name: 'multiport',
  options: {
    sports: { arity: 1, aliases: ['source-ports'], read: portList, negatable: true },
    dports: { arity: 1, aliases: ['destination-ports'], read: portList, negatable: true },
    ports: { arity: 1, read: portList, negatable: true },
  },
  list(o) {
    const all: Options = o;
    const parts = ['multiport'];
    for (const name of ['sports', 'dports', 'ports']) {
      const given = all[name];
      if (given) parts.push(`${name} ${given.negated ? ' !' : ''}${given.text}`);
    }
    return parts.join(' ');
  },
  complete(o) {
    const given = present(o, ['sports', 'dports', 'ports']);
    if (given.length === 0) return 'one of --sports, --dports or --ports is needed';
    if (given.length > 1) return `--${given.join(' and --')} cannot be used together`;
    return o;
  },
  check: (_o, where) =>
    ['tcp', 'udp', 'udplite', 'sctp', 'dccp'].includes(where.protocol ?? '') &&
    !where.protocolNegated
      ? undefined
      : 'multiport needs "-p tcp", "-p udp", "-p udplite", "-p sctp" or "-p dccp"',
  listing: [
    phrase(String.raw`multiport((?: +(?:sports|dports|ports) +!?\S+)+)`, (m) => {
      const args: Arg[] = [];
      for (const item of (m[1] ?? '').matchAll(/(sports|dports|ports) +(!?)(\S+)/g)) {
        const value = item[3] ?? '';
        if (!/^[\d,:]+$/.test(value)) {
          return {
            lost: `"${value}" holds service names, not port numbers: the listing was made without -n`,
          };
        }
        args.push(...negation(item[2]), `--${item[1]}`, val(value));
      }
      return args;
    }),
  ],
  examples: ['--dports 80,443', '! --sports 1024:2048,3000'],
  match(o, packet) {
    if (packet.protocol !== 'tcp' && packet.protocol !== 'udp' && packet.protocol !== 'sctp') {
      return noMatch('no ports in this protocol');
    }
    if (packet.fragment) return noMatch('a later fragment has no ports');
    if (hits(o.sports, packet.sport) === false) return noMatch(`sport ${packet.sport}`);
    if (hits(o.dports, packet.dport) === false) return noMatch(`dport ${packet.dport}`);
    const any = o.ports;
    if (any) {
      const hit = any.value.some((r) => inRange(packet.sport, r) || inRange(packet.dport, r));
      if (hit === any.negated) return noMatch('neither port listed');
    }
    return MATCH;
  },
});
