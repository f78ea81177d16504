/** `-m iprange --src-range A-B --dst-range A-B` (xt_iprange.c). */
import { type Address, compareAddress, formatAddress, parseAddress } from '../address.js';
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

interface Range {
  readonly from: Address;
  readonly to: Address;
}

const range: ValueReader<Range> = (values, family) => {
  const [a, b] = (values[0] ?? '').split('-');
  const from = parseAddress(a ?? '');
  const to = parseAddress(b ?? a ?? '');
  if (!from || !to || from.family !== family || to.family !== family) {
    return `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} range FROM-TO`;
  }
  return { value: { from, to }, text: `${formatAddress(from)}-${formatAddress(to)}` };
};

export const iprange = defineMatch({
  name: 'iprange',
  combine: { required: [['src-range', 'dst-range']] },
  options: {
    'src-range': { arity: 1, read: range, negatable: true },
    'dst-range': { arity: 1, read: range, negatable: true },
  },
  list: (o) =>
    [
      ...(o['src-range']
        ? [`source IP range ${o['src-range'].negated ? '! ' : ''}${o['src-range'].text}`]
        : []),
      ...(o['dst-range']
        ? [`destination IP range ${o['dst-range'].negated ? '! ' : ''}${o['dst-range'].text}`]
        : []),
    ].join(' '),
  listing: [
    phrase(
      String.raw`source IP range +(! +)?(\S+)`,
      (m) => [...negation(m[1]), '--src-range', val(m[2] ?? '')],
      0,
    ),
    phrase(
      String.raw`destination IP range +(! +)?(\S+)`,
      (m) => [...negation(m[1]), '--dst-range', val(m[2] ?? '')],
      1,
    ),
  ],
  examples: [
    '--src-range 10.0.0.1-10.0.0.9',
    '! --src-range 10.0.0.1-10.0.0.9 --dst-range 10.1.0.0-10.1.0.255',
  ],
  match(o, packet) {
    for (const [name, text] of [
      ['src-range', packet.src],
      ['dst-range', packet.dst],
    ] as const) {
      const given = o[name];
      const address = parseAddress(text);
      if (!given || !address) continue;
      const r = given.value;
      const hit = compareAddress(address, r.from) >= 0 && compareAddress(address, r.to) <= 0;
      if (hit === given.negated) return noMatch(`${text} outside ${given.text}`);
    }
    return MATCH;
  },
});
