/** `-m state --state`: the older spelling of `-m conntrack --ctstate` (xt_state.c). */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch } from '../simple-module.js';
import { stateReader } from './conntrack.js';

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];

export const state = defineMatch({
  name: 'state',
  combine: { required: [['state']] },
  options: { state: { arity: 1, read: stateReader(STATES), negatable: true } },
  list: (o) => `${o.state?.negated ? '! ' : ''}state ${o.state?.text ?? ''}`,
  listing: [
    phrase(String.raw`(! +)?state +(\S+)`, (m) => [...negation(m[1]), '--state', val(m[2] ?? '')]),
  ],
  examples: ['--state RELATED,ESTABLISHED', '! --state NEW'],
  match(o, _packet, ctx) {
    const given = o.state;
    if (!given) return MATCH;
    const actual = ctx.conntrack ? ctx.conntrack.state : 'INVALID';
    const hit = given.value.includes(actual);
    return hit !== given.negated ? MATCH : noMatch(`conntrack state is ${actual}`);
  },
});
