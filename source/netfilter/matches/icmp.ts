/** `-m icmp --icmp-type TYPE[/CODE]` by number or name (libipt_icmp.c). */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';
import type { Placement } from '../vocabulary.js';

/** The names iptables knows, with their type and code (code -1: any code). */
const ICMP_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  any: [255, -1],
  'echo-reply': [0, -1],
  'destination-unreachable': [3, -1],
  'network-unreachable': [3, 0],
  'host-unreachable': [3, 1],
  'protocol-unreachable': [3, 2],
  'port-unreachable': [3, 3],
  'fragmentation-needed': [3, 4],
  'source-route-failed': [3, 5],
  'network-prohibited': [3, 9],
  'host-prohibited': [3, 10],
  'communication-prohibited': [3, 13],
  'source-quench': [4, -1],
  redirect: [5, -1],
  'echo-request': [8, -1],
  'router-advertisement': [9, -1],
  'router-solicitation': [10, -1],
  'time-exceeded': [11, -1],
  'ttl-zero-during-transit': [11, 0],
  'parameter-problem': [12, -1],
  'timestamp-request': [13, -1],
  'timestamp-reply': [14, -1],
  'address-mask-request': [17, -1],
  'address-mask-reply': [18, -1],
};

/** xt_icmp's checkentry: the rule must be for the protocol, `-p icmp` (or its number). */
export function protocolCheck(module: string, protocols: readonly string[]) {
  return (_o: unknown, where: Placement): string | undefined =>
    protocols.includes(where.protocol ?? '') && !where.protocolNegated
      ? undefined
      : `-m ${module} needs -p ${protocols[0]} in the same rule`;
}

export interface IcmpType {
  readonly type: number;
  readonly code: number;
}

export function icmpTypeReader(names: Readonly<Record<string, readonly [number, number]>>) {
  const reader: ValueReader<IcmpType> = (values) => {
    const raw = values[0] ?? '';
    const named = names[raw.toLowerCase()];
    if (named) {
      const [type, code] = named;
      return { value: { type, code }, text: code < 0 ? `${type}` : `${type}/${code}` };
    }
    // TYPE/0:255, every code, is the type alone (iptables-save prints `255/0:255` as `any`).
    const m = /^(\d{1,3})(?:\/(\d{1,3})(:255)?)?$/.exec(raw);
    const allCodes = m?.[3] !== undefined && m[2] === '0';
    if (!m || Number(m[1]) > 255 || Number(m[2] ?? 0) > 255 || (m[3] !== undefined && !allCodes)) {
      return 'an ICMP type name or TYPE[/CODE] with numbers 0-255';
    }
    const type = Number(m[1]);
    const code = m[2] === undefined || allCodes ? -1 : Number(m[2]);
    return { value: { type, code }, text: code < 0 ? `${type}` : `${type}/${code}` };
  };
  return reader;
}

const icmpType = icmpTypeReader(ICMP_NAMES);

export const icmp = defineMatch({
  name: 'icmp',
  combine: { required: [['icmp-type']] },
  check: protocolCheck('icmp', ['icmp', '1']),
  checksProtocolOnly: true,
  options: {
    'icmp-type': { arity: 1, read: icmpType, negatable: true },
  },
  list(o) {
    const given = o['icmp-type'];
    if (!given) return 'icmp';
    const t = given.value;
    const neg = given.negated ? '!' : '';
    return t.type === 255
      ? `icmp ${neg}any`
      : `icmptype ${neg}${t.type}${t.code >= 0 ? ` code ${t.code}` : ''}`;
  },
  listing: [
    phrase(String.raw`icmptype +(!?)(\d{1,3})(?: +code +(\d{1,3}))?`, (m) => [
      ...negation(m[1]),
      '--icmp-type',
      val(m[3] ? `${m[2]}/${m[3]}` : (m[2] ?? '')),
    ]),
    // `icmp any`, and the type names a listing without -n prints (`icmp echo-request`).
    phrase('icmp +(!?)([a-z][a-z-]*)', (m, family) =>
      typeof icmpType([m[2] ?? ''], family) === 'string'
        ? undefined
        : [...negation(m[1]), '--icmp-type', val(m[2] ?? '')],
    ),
    phrase('icmp', () => []),
  ],
  // 255 is `any`: listed by name, read back by the name phrase.
  examples: ['--icmp-type 8', '! --icmp-type 3/4', '--icmp-type 255'],
  match(o, packet) {
    if (packet.protocol !== 'icmp') return noMatch('not an ICMP packet');
    const given = o['icmp-type'];
    if (!given) return MATCH;
    const t = given.value;
    const hit =
      t.type === 255 || (packet.icmpType === t.type && (t.code < 0 || packet.icmpCode === t.code));
    return hit !== given.negated ? MATCH : noMatch(`ICMP type ${packet.icmpType}`);
  },
});
