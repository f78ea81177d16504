/** `-m recent`: lists of recently seen addresses. Their contents are runtime state: not simulated. */

import { formatAddress, parseAddress } from '../address.js';
import { flag, negation, opt, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Options,
  present,
  text,
  uint,
  type ValueReader,
} from '../simple-module.js';

/** The mask as an address of the rule's family (the kernel tools would try a host name). */
const maskAddress: ValueReader<string> = (values, family) => {
  const address = parseAddress(values[0] ?? '');
  if (!address || address.family !== family) return `an ${family} address as a mask`;
  return { value: formatAddress(address), text: formatAddress(address) };
};

/** The command as the listing names it, back to its option. */
const LISTED_COMMANDS: Readonly<Record<string, string>> = {
  SET: '--set',
  CHECK: '--rcheck',
  UPDATE: '--update',
  REMOVE: '--remove',
};

const LIST_NAMES: Readonly<Record<string, string>> = {
  set: 'SET',
  rcheck: 'CHECK',
  update: 'UPDATE',
  remove: 'REMOVE',
};

function completeRecent(o: Options, family: 'ipv4' | 'ipv6'): Options {
  const mask = family === 'ipv4' ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
  return {
    ...o,
    name: o.name ?? { value: 'DEFAULT', text: 'DEFAULT', negated: false },
    mask: o.mask ?? { value: mask, text: mask, negated: false },
    rsource: o.rdest ? undefined : { value: true, text: '', negated: false },
  };
}

export const recent = defineMatch({
  name: 'recent',
  combine: {
    required: [['set', 'rcheck', 'update', 'remove']],
    conflicts: [
      ['set', 'rcheck'],
      ['set', 'update'],
      ['set', 'remove'],
      ['rcheck', 'update'],
      ['rcheck', 'remove'],
      ['update', 'remove'],
      ['rsource', 'rdest'],
      // xt_recent: --set and --remove take no condition (a --hitcount of 0 is none: check).
      ['set', 'seconds'],
      ['set', 'rttl'],
      ['remove', 'seconds'],
      ['remove', 'rttl'],
    ],
    needs: { reap: ['seconds'] },
  },
  check: (o) => {
    const command = o.set ? 'set' : o.remove ? 'remove' : undefined;
    return command && o.hitcount && o.hitcount.value > 0
      ? `recent: --${command} takes no condition: --hitcount ${o.hitcount.text} cannot be used with it`
      : undefined;
  },
  unsimulated: 'recent lists are runtime state',
  options: {
    set: { arity: 0, negatable: true },
    rcheck: { arity: 0, negatable: true },
    update: { arity: 0, negatable: true },
    remove: { arity: 0, negatable: true },
    seconds: { arity: 1, read: uint(0xffffffff, 'a number of seconds 1-4294967295', 1) },
    reap: { arity: 0 },
    hitcount: { arity: 1, read: uint(0xffffffff, 'a count 0-4294967295') },
    rttl: { arity: 0 },
    name: { arity: 1, read: text },
    mask: { arity: 1, read: maskAddress },
    rsource: { arity: 0 },
    rdest: { arity: 0 },
  },
  complete: completeRecent,
  list: (o) => {
    const command = present(o, ['set', 'rcheck', 'update', 'remove'])[0] ?? 'rcheck';
    const all: Options = o;
    const words = [`recent:${all[command]?.negated ? ' !' : ''}`, LIST_NAMES[command] ?? ''];
    if (o.seconds) words.push(`seconds: ${o.seconds.text}`);
    if (o.reap) words.push('reap');
    if (o.hitcount) words.push(`hit_count: ${o.hitcount.text}`);
    if (o.rttl) words.push('TTL-Match');
    words.push(
      `name: ${o.name?.text}`,
      `side: ${o.rdest ? 'dest' : 'source'}`,
      `mask: ${o.mask?.text}`,
    );
    return words.join(' ');
  },
  listing: [
    phrase(
      String.raw`recent:(?: +(!))? +(SET|CHECK|UPDATE|REMOVE)(?: +seconds: +(\d+))?( +reap)?(?: +hit_count: +(\d+))?( +TTL-Match)? +name: +(\S+) +side: +(source|dest) +mask: +(\S+)`,
      (m) => [
        ...negation(m[1]),
        LISTED_COMMANDS[m[2] ?? ''] ?? '--rcheck',
        ...opt('--seconds', m[3]),
        ...flag('--reap', m[4]),
        ...opt('--hitcount', m[5]),
        ...flag('--rttl', m[6]),
        '--name',
        val(m[7] ?? ''),
        m[8] === 'dest' ? '--rdest' : '--rsource',
        '--mask',
        val(m[9] ?? ''),
      ],
    ),
  ],
  examples: [
    '--set --name SSH --mask 255.255.255.255 --rsource',
    '! --update --seconds 60 --hitcount 4 --name SSH --mask 255.255.255.255 --rsource',
  ],
  match: () => ({ kind: 'unknown', why: 'recent lists are runtime state nfdb does not have' }),
});
