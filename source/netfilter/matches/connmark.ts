import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch } from '../simple-module.js';
import { markHits, markValue } from './mark.js';

export const connmarkMatch = defineMatch({
  name: 'connmark',
  combine: { required: [['mark']] },
  options: { mark: { arity: 1, read: markValue, negatable: true } },
  // libxt_connmark prints "match ", then "!", then " VALUE": two spaces when not inverted.
  list: (o) => `connmark match ${o.mark?.negated ? '!' : ''} ${o.mark?.text ?? ''}`,
  listing: [
    // libxt_connmark prints "match ", the "!", then " VALUE".
    phrase(String.raw`connmark match +(!?) *(\S+)`, (m) => [
      ...negation(m[1]),
      '--mark',
      val(m[2] ?? ''),
    ]),
  ],
  examples: ['--mark 0x1', '! --mark 0x4000/0x4000'],
  match(o, _packet, ctx) {
    const given = o.mark;
    if (!given) return MATCH;
    if (!ctx.conntrack) return noMatch('no conntrack entry');
    const hit = markHits(given.value, ctx.conntrack.mark);
    return hit !== given.negated
      ? MATCH
      : noMatch(`connection mark 0x${ctx.conntrack.mark.toString(16)}`);
  },
});
