/**
 * `-m set --match-set NAME FLAGS`: ipset membership (xt_set.c, ip_set_core.c). FLAGS name, per
 * dimension of the set, the packet's source or destination (`dst,dst` for a `hash:ip,port` set:
 * the destination address and the destination port). The set comes from the scenario's host;
 * a set it does not give is never guessed: the match is unknown and says which set is missing.
 */
import { type Direction, type IpSet, lookup, takesNomatch } from '../ipset.js';
import { negation, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  MATCH,
  noMatch,
  type Options,
  uint,
  type ValueReader,
} from '../simple-module.js';
import type { MatchResult } from '../vocabulary.js';

interface SetRef {
  readonly name: string;
  readonly flags: readonly Direction[];
}

const setRef: ValueReader<SetRef> = (values) => {
  const [name, flags] = values;
  if (!name || !flags || !/^(src|dst)(,(src|dst))*$/.test(flags))
    return 'NAME src|dst[,src|dst...]';
  // IPSET_DIM_MAX: libxt_set refuses more than six flags.
  if (flags.split(',').length > 6) return 'at most 6 src|dst flags';
  return { value: { name, flags: flags.split(',') as Direction[] }, text: `${name} ${flags}` };
};

/** A packet or byte count to compare an entry's counters with. */
const count = uint(Number.MAX_SAFE_INTEGER, 'a packet or byte count');

/** Counter tests: they read the entry's own counters, which nfdb does not keep. */
const COUNTER_TESTS = [
  'packets-eq',
  'packets-lt',
  'packets-gt',
  'bytes-eq',
  'bytes-lt',
  'bytes-gt',
];

/** What -L prints after the set, in its order. */
const LISTED = ['return-nomatch', 'update-counters', 'update-subcounters', ...COUNTER_TESTS];

/**
 * ip_set_test's answer as a number, before `!`: 0 when the set cannot be tested or holds no
 * entry; 1 for an entry, -ENOTEMPTY (taken as not matching) for a `nomatch` one. With
 * --return-nomatch, on a type that takes nomatch entries, both are negated ("invert matched
 * element"): a nomatch entry matches and a plain one does not. Negative is then 0.
 */
function tested(set: IpSet, hit: 'entry' | 'nomatch' | 'none', returnNomatch: boolean): boolean {
  if (hit === 'none') return false;
  if (returnNomatch && takesNomatch(set.type)) return hit === 'nomatch';
  return hit === 'entry';
}

function decide(
  set: IpSet,
  ref: SetRef,
  negated: boolean,
  returnNomatch: boolean,
  packet: Parameters<typeof lookup>[1],
): MatchResult {
  const found = lookup(set, packet, ref.flags);
  const name = set.name;
  let hit: 'entry' | 'nomatch' | 'none' = 'none';
  let why: string;
  switch (found.kind) {
    case 'family':
      why = `ipset ${name} is ${set.family === 'ipv4' ? 'inet' : 'inet6'}, the packet is not`;
      break;
    case 'dimensions':
      why = `ipset ${name} (${set.type}) needs ${set.dimensions.length} src|dst flags, the rule gives ${ref.flags.length}`;
      break;
    case 'no-value':
      why = `a fragment has no port for ipset ${name}`;
      break;
    case 'miss':
      why = `${found.values.join(',')} is not in ipset ${name}`;
      break;
    case 'hit':
      hit = found.entry.nomatch ? 'nomatch' : 'entry';
      why = `${found.values.join(',')} is in ipset ${name} as ${found.entry.text}`;
      break;
  }
  // xt_set's match_set: `if (ip_set_test(...)) inv = !inv; return inv;`
  return tested(set, hit, returnNomatch) !== negated ? MATCH : noMatch(why);
}

export const set = defineMatch({
  name: 'set',
  combine: { required: [['match-set']] },
  // In the order libxt_set's set_print_v3_matchinfo prints them.
  options: {
    'match-set': { arity: 2, aliases: ['set'], read: setRef, negatable: true },
    'return-nomatch': { arity: 0, repeatable: true },
    'update-counters': { arity: 0, repeatable: true, negatable: true },
    'update-subcounters': { arity: 0, repeatable: true, negatable: true },
    'packets-eq': { arity: 1, read: count, negatable: true },
    'packets-lt': { arity: 1, read: count },
    'packets-gt': { arity: 1, read: count },
    'bytes-eq': { arity: 1, read: count, negatable: true },
    'bytes-lt': { arity: 1, read: count },
    'bytes-gt': { arity: 1, read: count },
  },
  sets: (o) => (o['match-set'] ? [o['match-set'].value.name] : []),
  // libxt_set's set_print_v3_matchinfo: the set, ` return-nomatch`, the skipped counter
  // updates, then the counter tests; -L prints the options without their dashes.
  list: (o) => {
    const all: Options = o;
    const rest = LISTED.flatMap((name) => {
      const given = all[name];
      if (!given || (name.startsWith('update-') && !given.negated)) return [];
      return [`${given.negated ? '! ' : ''}${name}${given.text === '' ? '' : ` ${given.text}`}`];
    });
    const set = o['match-set'];
    return [`${set?.negated ? '! ' : ''}match-set ${set?.text}`, ...rest].join(' ');
  },
  listing: [
    phrase(
      String.raw`(! +)?match-set +(\S+) +(\S+)`,
      (m) => [...negation(m[1]), '--match-set', val(m[2] ?? ''), val(m[3] ?? '')],
      0,
    ),
    phrase('return-nomatch', () => ['--return-nomatch'], 1),
    phrase('! +update-counters', () => ['!', '--update-counters'], 2),
    phrase('! +update-subcounters', () => ['!', '--update-subcounters'], 3),
    phrase(
      String.raw`(! +)?packets-(eq|lt|gt) +(\d+)`,
      (m) => [...negation(m[1]), `--packets-${m[2]}`, val(m[3] ?? '')],
      4,
    ),
    phrase(
      String.raw`(! +)?bytes-(eq|lt|gt) +(\d+)`,
      (m) => [...negation(m[1]), `--bytes-${m[2]}`, val(m[3] ?? '')],
      5,
    ),
  ],
  examples: [
    '--match-set KUBE-CLUSTER-IP dst,dst',
    '! --match-set blocked src',
    '--match-set cali40all-ipam-pools src --return-nomatch',
    '--match-set seen src ! --update-counters ! --update-subcounters ! --packets-eq 0 --bytes-gt 1000',
  ],
  match: (o, packet, ctx) => {
    const given = o['match-set'];
    if (!given) return MATCH;
    const found = ctx.ipset(given.value.name);
    const counted = found && COUNTER_TESTS.find((name) => (o as Options)[name] !== undefined);
    if (counted)
      return { kind: 'unknown', why: `--${counted}: ipset entry counters are not simulated` };
    if (!found)
      return { kind: 'unknown', why: `ipset "${given.value.name}" is not part of the scenario` };
    return decide(found, given.value, given.negated, o['return-nomatch'] !== undefined, packet);
  },
});
