/** `-j SNAT --to-source`: rewrites the source of a connection (decided on its first packet). */
import { flag, phrase, val } from '../listing-phrase.js';
import { defineTarget, present } from '../simple-module.js';
import { type NatRange, natCheck, natRangeReader } from './nat-range.js';

export const SNAT = defineTarget({
  name: 'SNAT',
  options: {
    'to-source': { arity: 1, read: natRangeReader },
    random: { arity: 0 },
    'random-fully': { arity: 0 },
    persistent: { arity: 0 },
  },
  complete: (o) => (o['to-source'] ? o : 'SNAT needs --to-source'),
  check: natCheck('SNAT', ['POSTROUTING', 'INPUT']),
  list: (o) =>
    [`to:${o['to-source']?.text}`, ...present(o, ['random', 'random-fully', 'persistent'])].join(
      ' ',
    ),
  listing: [
    phrase(String.raw`to:(\S+)( +random)?( +random-fully)?( +persistent)?`, (m) => [
      '--to-source',
      val(m[1] ?? ''),
      ...flag('--random', m[2]),
      ...flag('--random-fully', m[3]),
      ...flag('--persistent', m[4]),
    ]),
  ],
  examples: ['--to-source 192.0.2.1', '--to-source 192.0.2.1:1024-2048 --random-fully'],
  act(o) {
    const r = o['to-source']?.value as NatRange;
    return {
      verdict: 'ACCEPT',
      conntrack: { nat: { kind: 'snat', address: r.from, port: r.portFrom } },
    };
  },
});
