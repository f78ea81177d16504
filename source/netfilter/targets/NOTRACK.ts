/** `-j NOTRACK`: the old spelling of `-j CT --notrack` (raw table). */
import { phrase } from '../listing-phrase.js';
import { defineTarget, inTable } from '../simple-module.js';

export const NOTRACK = defineTarget({
  name: 'NOTRACK',
  options: {},
  check: (_o, where) => inTable('NOTRACK', 'raw', where),
  list: () => 'NOTRACK',
  listing: [phrase('NOTRACK', () => [])],
  examples: [''],
  act: () => ({ verdict: 'CONTINUE', conntrack: { untracked: true }, note: 'untracked' }),
});
