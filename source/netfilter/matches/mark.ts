/** `-m mark --mark VALUE[/MASK]`: the packet's skb->mark (xt_mark.c). */
import { formatMark, MARK_EXPECTED, type MarkValue, parseMark } from '../extension.js';
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

export const markValue: ValueReader<MarkValue> = (values) => {
  const mark = parseMark(values[0] ?? '');
  return mark ? { value: mark, text: formatMark(mark) } : MARK_EXPECTED;
};

export function markHits(mark: MarkValue, actual: number): boolean {
  return (actual & mark.mask) >>> 0 === mark.value;
}

export const markMatch = defineMatch({
  name: 'mark',
  combine: { required: [['mark']] },
  options: { mark: { arity: 1, read: markValue, negatable: true } },
  list: (o) => `mark match ${o.mark?.negated ? '! ' : ''}${o.mark?.text ?? ''}`,
  listing: [
    phrase(String.raw`mark match +(! +)?(\S+)`, (m) => [
      ...negation(m[1]),
      '--mark',
      val(m[2] ?? ''),
    ]),
  ],
  examples: ['--mark 0x539', '! --mark 0x4000/0x4000'],
  match(o, packet) {
    const given = o.mark;
    if (!given) return MATCH;
    const hit = markHits(given.value, packet.mark);
    return hit !== given.negated ? MATCH : noMatch(`packet mark 0x${packet.mark.toString(16)}`);
  },
});
