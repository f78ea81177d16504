/**
 * `-j NFQUEUE`: hands the packet to a user-space program through a queue (xt_NFQUEUE.c). nfdb
 * has no such program: the trace stops there, as for QUEUE, and says the packet went to user
 * space. Options and their text as iptables 1.8.9 reads and prints them.
 */
import { flag, phrase, val } from '../listing-phrase.js';
import { defineTarget, uint, type ValueReader } from '../simple-module.js';

/** `FIRST:LAST`, two queue numbers, the first below the last. */
const balance: ValueReader<string> = (values) => {
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(values[0] ?? '');
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  // The kernel counts the queues in 16 bits: 0:65535 is one too many.
  return m && first < last && last <= 65535 && last - first < 65535
    ? { value: `${first}:${last}`, text: `${first}:${last}` }
    : 'FIRST:LAST, two queue numbers 0-65535, the first below the last';
};

export const NFQUEUE = defineTarget({
  name: 'NFQUEUE',
  options: {
    'queue-num': { arity: 1, read: uint(65535, 'a queue number 0-65535') },
    'queue-balance': { arity: 1, read: balance },
    'queue-bypass': { arity: 0 },
    'queue-cpu-fanout': { arity: 0 },
  },
  combine: {
    conflicts: [['queue-num', 'queue-balance']],
    needs: { 'queue-cpu-fanout': ['queue-balance'] },
  },
  // iptables-save prints the queue number, 0 when none was given.
  complete: (o) =>
    o['queue-num'] || o['queue-balance']
      ? o
      : { ...o, 'queue-num': { value: 0, text: '0', negated: false } },
  list: (o) =>
    [
      'NFQUEUE',
      o['queue-balance'] ? `balance ${o['queue-balance'].text}` : `num ${o['queue-num']?.text}`,
      ...(o['queue-bypass'] ? ['bypass'] : []),
      ...(o['queue-cpu-fanout'] ? ['cpu-fanout'] : []),
    ].join(' '),
  listing: [
    phrase(
      String.raw`NFQUEUE +(?:num +(\d+)|balance +(\d+:\d+))( +bypass)?( +cpu-fanout)?`,
      (m) => [
        ...(m[2] ? ['--queue-balance', val(m[2])] : ['--queue-num', val(m[1] ?? '0')]),
        ...flag('--queue-bypass', m[3]),
        ...flag('--queue-cpu-fanout', m[4]),
      ],
    ),
  ],
  examples: [
    '--queue-num 0',
    '--queue-num 5 --queue-bypass',
    '--queue-balance 1:3 --queue-cpu-fanout',
  ],
  act: (o) => ({
    verdict: 'QUEUE',
    note: `NFQUEUE ${o['queue-balance']?.text ?? o['queue-num']?.text}: the packet goes to a program in user space, which nfdb does not simulate`,
  }),
});
