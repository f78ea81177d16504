/** `-m addrtype --src-type/--dst-type`: what kind of address it is on this host (xt_addrtype.c). */

import type { AddressType } from '../../model/index.js';
import { flag, negation, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Given,
  MATCH,
  noMatch,
  only,
  type ValueReader,
} from '../simple-module.js';

const TYPES: readonly AddressType[] = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

const typeList: ValueReader<AddressType[]> = (values) => {
  const items = (values[0] ?? '').split(',').map((s) => s.toUpperCase());
  if (items.some((i) => !TYPES.includes(i as AddressType)))
    return `a comma list of ${TYPES.join(', ')}`;
  const ordered = TYPES.filter((t) => items.includes(t));
  return { value: ordered, text: ordered.join(',') };
};

function listType(label: string, given: Given | undefined): string[] {
  return given ? [`${label} ${given.negated ? '!' : ''}${given.text}`] : [];
}

export const addrtype = defineMatch({
  name: 'addrtype',
  combine: {
    required: [['src-type', 'dst-type']],
    conflicts: [['limit-iface-in', 'limit-iface-out']],
  },
  options: {
    'src-type': { arity: 1, read: typeList, negatable: true },
    'dst-type': { arity: 1, read: typeList, negatable: true },
    'limit-iface-in': { arity: 0 },
    'limit-iface-out': { arity: 0 },
  },
  complete: (o) =>
    o['limit-iface-in'] && o['limit-iface-out']
      ? '--limit-iface-in and --limit-iface-out cannot be used together'
      : o,
  check(o, where) {
    if (o['limit-iface-in'])
      return only('--limit-iface-in', ['PREROUTING', 'INPUT', 'FORWARD'], where);
    if (o['limit-iface-out']) {
      return only('--limit-iface-out', ['OUTPUT', 'POSTROUTING', 'FORWARD'], where);
    }
    return undefined;
  },
  list: (o) =>
    [
      'ADDRTYPE match',
      ...listType('src-type', o['src-type']),
      ...listType('dst-type', o['dst-type']),
      ...(o['limit-iface-in'] ? ['limit-in'] : []),
      ...(o['limit-iface-out'] ? ['limit-out'] : []),
    ].join(' '),
  listing: [
    phrase(
      String.raw`ADDRTYPE match(?: +src-type +(!?)(\S+))?(?: +dst-type +(!?)(\S+))?( +limit-in)?( +limit-out)?`,
      (m) => [
        ...(m[2] !== undefined ? [...negation(m[1]), '--src-type', val(m[2])] : []),
        ...(m[4] !== undefined ? [...negation(m[3]), '--dst-type', val(m[4])] : []),
        ...flag('--limit-iface-in', m[5]),
        ...flag('--limit-iface-out', m[6]),
      ],
    ),
  ],
  examples: [
    '--dst-type LOCAL',
    '! --src-type LOCAL,BROADCAST --dst-type UNICAST --limit-iface-in',
  ],
  match(o, packet, ctx) {
    const iface = o['limit-iface-in']
      ? packet.inInterface
      : o['limit-iface-out']
        ? packet.outInterface
        : undefined;
    for (const [name, address] of [
      ['src-type', packet.src],
      ['dst-type', packet.dst],
    ] as const) {
      const given = o[name];
      if (!given) continue;
      const actual = ctx.addressType(address, iface);
      const hit = given.value.some((t) => actual.includes(t));
      if (hit === given.negated) return noMatch(`${address} is ${actual.join(',')}`);
    }
    return MATCH;
  },
});
