/** `-m state --state`: the older spelling of `-m conntrack --ctstate` (xt_state.c). */
import { defineMatch, MATCH, noMatch } from '../simple-module.js';
import { stateReader } from './conntrack.js';

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];

export const state = defineMatch({
  name: 'state',
  options: { state: { arity: 1, read: stateReader(STATES), negatable: true } },
  list: (o) => `${o.state?.negated ? '! ' : ''}state ${o.state?.text ?? ''}`,
  match(o, _packet, ctx) {
    const given = o.state;
    if (!given) return MATCH;
    const actual = ctx.conntrack ? ctx.conntrack.state : 'INVALID';
    const hit = (given.value as string[]).includes(actual);
    return hit !== given.negated ? MATCH : noMatch(`conntrack state is ${actual}`);
  },
});
