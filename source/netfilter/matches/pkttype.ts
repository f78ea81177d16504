/** `-m pkttype --pkt-type unicast|broadcast|multicast` (xt_pkttype.c). */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

const kind: ValueReader<string> = (values) => {
  const raw = (values[0] ?? '').toLowerCase();
  return ['unicast', 'broadcast', 'multicast', 'host', 'otherhost'].includes(raw)
    ? { value: raw === 'host' ? 'unicast' : raw, text: raw }
    : 'unicast, broadcast or multicast';
};

export const pkttype = defineMatch({
  name: 'pkttype',
  combine: { required: [['pkt-type']] },
  options: { 'pkt-type': { arity: 1, read: kind, negatable: true } },
  list: (o) => `PKTTYPE ${o['pkt-type']?.negated ? '!' : ''}= ${o['pkt-type']?.text}`,
  listing: [
    phrase(String.raw`PKTTYPE +(!?)= +(\S+)`, (m) => [
      ...negation(m[1]),
      '--pkt-type',
      val(m[2] ?? ''),
    ]),
  ],
  examples: ['--pkt-type broadcast', '! --pkt-type unicast'],
  match(o, packet) {
    const given = o['pkt-type'];
    if (!given) return MATCH;
    const hit = packet.pktType === given.value;
    return hit !== given.negated ? MATCH : noMatch(`a ${packet.pktType} packet`);
  },
});
