/** `-m icmp6 --icmpv6-type TYPE[/CODE]` (libip6t_icmp6.c). */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch } from '../simple-module.js';
import { icmpTypeReader, protocolCheck } from './icmp.js';

const ICMP6_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  'destination-unreachable': [1, -1],
  'no-route': [1, 0],
  'communication-prohibited': [1, 1],
  'address-unreachable': [1, 3],
  'port-unreachable': [1, 4],
  'packet-too-big': [2, -1],
  'time-exceeded': [3, -1],
  'ttl-zero-during-transit': [3, 0],
  'parameter-problem': [4, -1],
  'echo-request': [128, -1],
  'echo-reply': [129, -1],
  'router-solicitation': [133, -1],
  'router-advertisement': [134, -1],
  'neighbour-solicitation': [135, -1],
  'neighbor-solicitation': [135, -1],
  'neighbour-advertisement': [136, -1],
  'neighbor-advertisement': [136, -1],
  redirect: [137, -1],
};

const icmp6Type = icmpTypeReader(ICMP6_NAMES);

export const icmp6 = defineMatch({
  name: 'icmp6',
  combine: { required: [['icmpv6-type']] },
  check: protocolCheck('icmp6', ['ipv6-icmp', 'icmpv6', 'icmp6', '58']),
  checksProtocolOnly: true,
  options: {
    'icmpv6-type': { arity: 1, read: icmp6Type, negatable: true },
  },
  list(o) {
    const given = o['icmpv6-type'];
    if (!given) return 'ipv6-icmp';
    const t = given.value;
    return `ipv6-icmptype ${given.negated ? '!' : ''}${t.type}${t.code >= 0 ? ` code ${t.code}` : ''}`;
  },
  listing: [
    phrase(String.raw`ipv6-icmptype +(!?)(\d{1,3})(?: +code +(\d{1,3}))?`, (m) => [
      ...negation(m[1]),
      '--icmpv6-type',
      val(m[3] ? `${m[2]}/${m[3]}` : (m[2] ?? '')),
    ]),
    phrase('ipv6-icmp +(!?)([a-z][a-z-]*)', (m, family) =>
      typeof icmp6Type([m[2] ?? ''], family) === 'string'
        ? undefined
        : [...negation(m[1]), '--icmpv6-type', val(m[2] ?? '')],
    ),
    phrase('ipv6-icmp', () => []),
  ],
  examples: ['--icmpv6-type 128', '! --icmpv6-type 1/4'],
  match(o, packet) {
    if (packet.protocol !== 'icmpv6') return noMatch('not an ICMPv6 packet');
    const given = o['icmpv6-type'];
    if (!given) return MATCH;
    const t = given.value;
    const hit = packet.icmpType === t.type && (t.code < 0 || packet.icmpCode === t.code);
    return hit !== given.negated ? MATCH : noMatch(`ICMPv6 type ${packet.icmpType}`);
  },
});
