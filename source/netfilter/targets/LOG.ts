/** `-j LOG`: writes a kernel log line and goes on; in nfdb, a line in the trace (xt_LOG.c). */

import { quoteIfNeeded } from '../extension.js';
import { flag, opt, phrase, val } from '../listing-phrase.js';
import { defineTarget, type Options, type ValueReader } from '../simple-module.js';

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];
const FLAGS: readonly (readonly [string, number])[] = [
  ['log-tcp-sequence', 1],
  ['log-tcp-options', 2],
  ['log-ip-options', 4],
  ['log-uid', 8],
  ['log-macdecode', 32],
];

const level: ValueReader<number> = (values) => {
  const raw = (values[0] ?? '').toLowerCase();
  // libxt_LOG knows `panic` for emerg, and not `warn`.
  const byName = LEVELS.indexOf(raw === 'panic' ? 'emerg' : raw);
  const value = byName >= 0 ? byName : /^[0-7]$/.test(raw) ? Number(raw) : -1;
  return value >= 0 ? { value, text: String(value) } : 'a level 0-7 or a syslog level name';
};

const prefix: ValueReader<string> = (values) => {
  // The kernel tools keep the first 29 characters of a longer prefix.
  const value = (values[0] ?? '').slice(0, 29);
  return { value, text: quoteIfNeeded(value) };
};

function flagBits(o: Options): number {
  return FLAGS.reduce((bits, [name, bit]) => (o[name] ? bits | bit : bits), 0);
}

export const LOG = defineTarget({
  name: 'LOG',
  options: {
    'log-prefix': { arity: 1, read: prefix },
    'log-level': { arity: 1, read: level },
    'log-tcp-sequence': { arity: 0 },
    'log-tcp-options': { arity: 0 },
    'log-ip-options': { arity: 0 },
    'log-uid': { arity: 0 },
    'log-macdecode': { arity: 0 },
  },
  complete: (o) => (o['log-level']?.value === 4 ? { ...o, 'log-level': undefined } : o),
  list: (o) => {
    const lvl = o['log-level']?.value ?? 4;
    const pre = o['log-prefix'] ? ` prefix "${o['log-prefix'].value}"` : '';
    return `LOG flags ${flagBits(o)} level ${lvl}${pre}`;
  },
  listing: [
    phrase(String.raw`LOG +flags +(\d+) +level +(\d+)(?: +prefix +"(.*)")?`, (m) => {
      const bits = Number(m[1]);
      return [
        ...flag('--log-tcp-sequence', bits & 1),
        ...flag('--log-tcp-options', bits & 2),
        ...flag('--log-ip-options', bits & 4),
        ...flag('--log-uid', bits & 8),
        ...flag('--log-macdecode', bits & 32),
        '--log-level',
        val(m[2] ?? '4'),
        ...opt('--log-prefix', m[3]),
      ];
    }),
  ],
  examples: ['--log-prefix "dropped: "', '--log-prefix blocked --log-level 7 --log-uid'],
  // Without a prefix the target's name says it all.
  act: (o) => {
    const note = `LOG ${o['log-prefix']?.value ?? ''}`.trim();
    return { verdict: 'CONTINUE', note: note === 'LOG' ? undefined : note };
  },
});
