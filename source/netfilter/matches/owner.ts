/**
 * `-m owner`: the uid/gid of the socket that sent a locally generated packet (xt_owner.c).
 * The kernel allows it only in OUTPUT and POSTROUTING: other packets have no local socket.
 * A user or group name needs the system's passwd/group files: it is kept as written and the
 * rule is not simulated until the user gives the number.
 */

import type { ModuleOption } from '../../model/index.js';
import { negation, phrase, val } from '../listing-phrase.js';
import {
  defineMatch,
  type Given,
  MATCH,
  noMatch,
  type Options,
  only,
  type ValueReader,
} from '../simple-module.js';
import type { SymbolicValue } from '../vocabulary.js';

export interface IdRange {
  readonly from: number;
  readonly to: number;
  /** A user or group name nfdb cannot resolve. */
  readonly symbolic?: string;
}

const idRange: ValueReader<IdRange> = (values) => {
  const raw = values[0] ?? '';
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (from > 0xfffffffe || to > 0xfffffffe || from > to) return 'an id 0-4294967294 or FROM-TO';
    return { value: { from, to }, text: from === to ? `${from}` : `${from}-${to}` };
  }
  if (/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(raw)) {
    return { value: { from: -1, to: -1, symbolic: raw }, text: raw };
  }
  return 'a numeric id, FROM-TO, or a user/group name';
};

function listId(label: string, given: Given | undefined): string[] {
  if (!given) return [];
  return [`${given.negated ? '! ' : ''}owner ${label} match ${given.text}`];
}

function idHits(given: Given<IdRange> | undefined, ids: readonly number[]): boolean | 'unknown' {
  if (!given) return true;
  const range = given.value;
  if (range.symbolic) return 'unknown';
  const hit = ids.some((id) => id >= range.from && id <= range.to);
  return hit !== given.negated;
}

export function symbolicNames(o: Options): string[] {
  return ['uid-owner', 'gid-owner']
    .map((n) => (o[n]?.value as IdRange | undefined)?.symbolic)
    .filter((s): s is string => s !== undefined);
}

/** Each `--uid-owner NAME` and `--gid-owner NAME`, at the option that gives it. */
function symbolicIds(o: Options, given: readonly ModuleOption[]): SymbolicValue[] {
  return given.flatMap((option, index) => {
    const name = (o[option.name]?.value as IdRange | undefined)?.symbolic;
    if (name === undefined) return [];
    const why = 'a name needs the system user database; give the number to simulate it';
    return [{ what: `--${option.name} ${name}`, why, option: index }];
  });
}

export const owner = defineMatch({
  name: 'owner',
  combine: {
    required: [['socket-exists', 'uid-owner', 'gid-owner']],
    after: { 'suppl-groups': 'gid-owner' },
  },
  // In the order libxt_owner prints them: --socket-exists first.
  options: {
    'socket-exists': { arity: 0, negatable: true },
    'uid-owner': { arity: 1, read: idRange, negatable: true },
    'gid-owner': { arity: 1, read: idRange, negatable: true },
    'suppl-groups': { arity: 0 },
  },
  complete: (o) => (o['suppl-groups'] && !o['gid-owner'] ? '--suppl-groups needs --gid-owner' : o),
  check: (_o, where) => only('-m owner', ['OUTPUT', 'POSTROUTING'], where),
  symbolic: symbolicIds,
  keepsOptionPositions: true,
  list: (o) =>
    [
      ...(o['socket-exists']
        ? [`${o['socket-exists'].negated ? '! ' : ''}owner socket exists`]
        : []),
      ...listId('UID', o['uid-owner']),
      ...listId('GID', o['gid-owner']),
      ...(o['suppl-groups'] ? ['incl. suppl. groups'] : []),
    ].join(' '),
  // libxt_owner prints socket-exists first, then UID, GID, suppl. groups.
  listing: [
    phrase('(! +)?owner socket exists', (m) => [...negation(m[1]), '--socket-exists'], 0),
    phrase(
      String.raw`(! +)?owner UID match +(\S+)`,
      (m) => [...negation(m[1]), '--uid-owner', val(m[2] ?? '')],
      1,
    ),
    phrase(
      String.raw`(! +)?owner GID match +(\S+)`,
      (m) => [...negation(m[1]), '--gid-owner', val(m[2] ?? '')],
      2,
    ),
    phrase(String.raw`incl\. suppl\. groups`, () => ['--suppl-groups'], 3),
  ],
  examples: [
    '--uid-owner 1337',
    '! --uid-owner 1337',
    '--socket-exists --uid-owner 0 ! --gid-owner 5-10 --suppl-groups',
  ],
  match(o, _packet, ctx) {
    const socket = ctx.socket;
    if (!socket) {
      // xt_owner without a socket: `(info->match ^ info->invert) == 0`, so the rule matches
      // exactly when every option it has is inverted (`! --uid-owner 1337` matches a forwarded
      // packet in POSTROUTING, or a RST the kernel sends itself); --suppl-groups is never inverted.
      const all: Options = o;
      const given = ['socket-exists', 'uid-owner', 'gid-owner', 'suppl-groups']
        .map((n) => all[n])
        .filter((g): g is Given => g !== undefined);
      return given.every((g) => g.negated)
        ? MATCH
        : noMatch('no local socket (owner matches only locally generated packets)');
    }
    const exists = o['socket-exists'];
    if (exists?.negated) return noMatch('a socket exists');
    const uid = idHits(o['uid-owner'], [socket.uid]);
    const gids = o['suppl-groups'] ? [socket.gid, ...socket.supplementaryGids] : [socket.gid];
    const gid = idHits(o['gid-owner'], gids);
    if (uid === 'unknown' || gid === 'unknown') {
      return {
        kind: 'unknown',
        why: `owner by name (${symbolicNames(o).join(', ')}) needs the system's user database`,
      };
    }
    if (!uid) return noMatch(`socket uid ${socket.uid}`);
    if (!gid) return noMatch(`socket gid ${socket.gid}`);
    return MATCH;
  },
});
