/** `-m length --length MIN[:MAX]`: the IP packet's total length (xt_length.c). */
import { cNumber } from '../extension.js';
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

/**
 * `1500`, `MIN:MAX`, open ends (`:2`, `4:`, `:` for 0:65535), numbers as C writes them; a
 * backwards range (`5:1`) loads and matches nothing, as in xt_length.
 */
const lengthRange: ValueReader<[number, number]> = (values) => {
  const raw = values[0] ?? '';
  const colon = raw.indexOf(':');
  const one = (t: string, open: number) => (t === '' ? open : cNumber(t));
  const from = one(colon < 0 ? raw : raw.slice(0, colon), colon < 0 ? Number.NaN : 0);
  const to = colon < 0 ? from : one(raw.slice(colon + 1), 65535);
  if (from === undefined || to === undefined || !(from <= 65535 && to <= 65535))
    return 'a length 0-65535 or MIN:MAX';
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
