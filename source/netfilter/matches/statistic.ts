/**
 * `-m statistic`: random (seeded, so a trace can be replayed) or every nth packet
 * (xt_statistic.c). The kernel stores the probability as a 31-bit fraction; iptables-save
 * prints it back with 11 decimals, which is why 0.2 becomes 0.20000000019.
 */

import { negation, opt, phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, noMatch, type ValueReader } from '../simple-module.js';

const probability: ValueReader<number> = (values) => {
  const p = Number(values[0]);
  // strtod's numbers, `1e-3` too.
  const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  if (!number.test(values[0] ?? '') || !(p >= 0 && p <= 1)) return 'a probability 0.0-1.0';
  const fixed = Math.round(0x80000000 * p);
  return { value: fixed / 0x80000000, text: (fixed / 0x80000000).toFixed(11) };
};

const count: ValueReader<number> = (values) => {
  const raw = values[0] ?? '';
  return /^\d+$/.test(raw) && Number(raw) <= 0xffffffff
    ? { value: Number(raw), text: raw }
    : 'a number';
};

const mode: ValueReader<string> = (values) =>
  values[0] === 'random' || values[0] === 'nth'
    ? { value: values[0], text: values[0] }
    : 'random or nth';

export const statistic = defineMatch({
  name: 'statistic',
  combine: { required: [['mode']], needs: { every: ['packet'] } },
  options: {
    mode: { arity: 1, read: mode },
    probability: { arity: 1, read: probability, negatable: true },
    every: { arity: 1, read: count, negatable: true },
    packet: { arity: 1, read: count },
  },
  complete(o) {
    if (!o.mode) return 'no --mode given (random or nth)';
    if (o.mode.value === 'random') {
      if (!o.probability) return '--mode random needs --probability';
      if (o.every || o.packet) return '--every and --packet can only be used in nth mode';
      return o;
    }
    if (!o.every) return '--mode nth needs --every';
    if (o.probability) return '--probability can only be used in random mode';
    const every = o.every.value;
    if (every < 1) return '--every must be at least 1';
    const packet = o.packet?.value ?? 0;
    if (packet > every - 1) return 'the --packet p must be 0 <= p <= n-1';
    // iptables-save always prints --packet in nth mode.
    return { ...o, packet: { value: packet, text: String(packet), negated: false } };
  },
  list(o) {
    const bang = o.probability?.negated || o.every?.negated ? ' !' : '';
    if (o.mode?.value === 'random') {
      return `statistic mode random${bang} probability ${o.probability?.text}`;
    }
    const packet = o.packet?.value ?? 0;
    return `statistic mode nth${bang} every ${o.every?.text}${packet !== 0 ? ` packet ${packet}` : ''}`;
  },
  listing: [
    phrase(String.raw`statistic mode random( +!)? +probability +(\S+)`, (m) => [
      '--mode',
      val('random'),
      ...negation(m[1]),
      '--probability',
      val(m[2] ?? ''),
    ]),
    // `nth ! every 3 packet 1` (libxt_statistic); `packet 0` may be left out, and is put
    // back: the kernel tools refuse --every without --packet.
    phrase(String.raw`statistic mode nth( +!)? +every +(!?)(\d+)(?: +packet +(\d+))?`, (m) => [
      '--mode',
      val('nth'),
      ...negation(m[1] || m[2]),
      '--every',
      val(m[3] ?? ''),
      ...opt('--packet', m[4] ?? '0'),
    ]),
  ],
  examples: [
    '--mode random --probability 0.33333333349',
    '--mode nth --every 3 --packet 0',
    '--mode nth ! --every 3 --packet 2',
  ],
  match(o, _packet, ctx) {
    if (o.mode?.value === 'random') {
      const p = o.probability?.value as number;
      const hit = ctx.random() < p;
      return hit !== o.probability?.negated ? MATCH : noMatch(`random draw above ${p}`);
    }
    const every = o.every?.value as number;
    const packet = o.packet?.value ?? 0;
    // libxt_statistic starts the kernel's counter at (every - 1) - packet, and xt_statistic
    // matches when the counter wraps to 0: with --packet 0 the first packet matches, then
    // every nth one after it.
    const n = ctx.nextNth('', every, every - 1 - packet);
    const hit = n === 0;
    return hit !== o.every?.negated ? MATCH : noMatch(`packet ${n} of every ${every}`);
  },
});
