/** `-m length --length MIN[:MAX]`: the IP packet's total length (xt_length.c). */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

const lengthRange: ValueReader<[number, number]> = (values) => {
  const m = /^(\d+)(?::(\d+))?$/.exec(values[0] ?? '');
  const from = Number(m?.[1]);
  const to = Number(m?.[2] ?? m?.[1]);
  if (!m || from > 65535 || to > 65535 || from > to) return 'a length 0-65535 or MIN:MAX';
  return { value: [from, to], text: from === to ? `${from}` : `${from}:${to}` };
};

export const length = defineMatch({
  name: 'length',
  combine: { required: [['length']] },
  options: { length: { arity: 1, read: lengthRange, negatable: true } },
  list: (o) => `length ${o.length?.negated ? '!' : ''}${o.length?.text}`,
  listing: [
    phrase(String.raw`length +(!?)(\d+(?::\d+)?)`, (m) => [
      ...negation(m[1]),
      '--length',
      val(m[2] ?? ''),
    ]),
  ],
  examples: ['--length 0:100', '! --length 1500'],
  match(o, packet) {
    const given = o.length;
    if (!given) return MATCH;
    const [from, to] = given.value;
    const hit = packet.length >= from && packet.length <= to;
    return hit !== given.negated ? MATCH : noMatch(`length ${packet.length}`);
  },
});
