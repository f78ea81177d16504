/** `-j MARK`: sets skb->mark and goes on to the next rule (xt_MARK.c). */
import { hex } from '../extension.js';
import { phrase } from '../listing-phrase.js';
import { defineTarget } from '../simple-module.js';
import { applyXMark, listXMark, xmarkArgs, xmarkOf, xmarkOption } from './mark-arith.js';

export const MARK = defineTarget({
  name: 'MARK',
  combine: {
    required: [['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark']],
    conflicts: [
      ['set-xmark', 'set-mark'],
      ['set-xmark', 'and-mark'],
      ['set-xmark', 'or-mark'],
      ['set-xmark', 'xor-mark'],
      ['set-mark', 'and-mark'],
      ['set-mark', 'or-mark'],
      ['set-mark', 'xor-mark'],
      ['and-mark', 'or-mark'],
      ['and-mark', 'xor-mark'],
      ['or-mark', 'xor-mark'],
    ],
  },
  options: {
    'set-xmark': { arity: 1, read: xmarkOption('set-xmark') },
    'set-mark': { arity: 1, read: xmarkOption('set-mark') },
    'and-mark': { arity: 1, read: xmarkOption('and-mark') },
    'or-mark': { arity: 1, read: xmarkOption('or-mark') },
    'xor-mark': { arity: 1, read: xmarkOption('xor-mark') },
  },
  complete(o) {
    const x = xmarkOf(o);
    if (!x) return 'MARK needs one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark';
    return { 'set-xmark': { value: x, text: `${hex(x.value)}/${hex(x.mask)}`, negated: false } };
  },
  list: (o) => {
    const x = xmarkOf(o);
    return x ? listXMark('MARK', x) : 'MARK';
  },
  listing: [phrase(String.raw`MARK +(and|or|xor|set|xset) +(\S+)`, (m) => xmarkArgs(m[1], m[2]))],
  examples: ['--set-xmark 0x4000/0x4000', '--set-xmark 0x539/0xffffffff'],
  act(o, packet) {
    const x = xmarkOf(o);
    const mark = x ? applyXMark(x, packet.mark) : packet.mark;
    // A new mark is the step's packet change; only a mark left as it was needs saying.
    const note =
      mark === packet.mark ? `mark 0x${mark.toString(16)} → 0x${mark.toString(16)}` : undefined;
    return { verdict: 'CONTINUE', packet: { ...packet, mark }, note };
  },
});
