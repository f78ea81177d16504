/**
 * A rule's statements, left to right as nft runs them: relations (`tcp dport != { 53, 15008 }`),
 * `counter`, verdicts, `vmap`, `meta mark set`, `ct zone set`, NAT, `tproxy`, `reject`, set
 * updates, `log`, `comment`. A statement nfdb knows but does not simulate (`limit`, `quota`…)
 * takes the rest of the rule as text: the engine stops there and says so.
 */
import type { NftOp, NftStatement, NftValue } from '../../model/nft.js';
import { countersFromText, tooBigCount } from '../counter-text.js';
import type { Cursor } from './cursor.js';
import {
  elements,
  expression,
  isVerdictWord,
  rhs,
  startsExpression,
  value,
  verdict,
} from './expressions.js';
import { durationSeconds } from './types.js';

type Stmt = NftStatement;

const OPS: Readonly<Record<string, NftOp>> = {
  '==': '==',
  eq: '==',
  '!=': '!=',
  ne: '!=',
  '<': '<',
  lt: '<',
  '>': '>',
  gt: '>',
  '<=': '<=',
  le: '<=',
  '>=': '>=',
  ge: '>=',
};

/** Statements nft has that nfdb reads and does not simulate. */
export const UNSIMULATED: Readonly<Record<string, string>> = {
  limit: 'a rate limit depends on time',
  quota: 'a quota depends on past traffic',
  meter: 'a meter depends on past traffic',
  dup: 'dup copies the packet elsewhere',
  fwd: 'fwd sends the packet out of the netdev hook',
  synproxy: 'synproxy answers the handshake itself',
  queue: 'queue hands the packet to user space',
  osf: 'passive OS fingerprinting is not simulated',
  socket: 'the socket expression is not simulated',
  jhash: 'a hash of the packet is not simulated',
  symhash: 'a hash of the packet is not simulated',
  xt: 'an xtables extension inside nft is not simulated',
  flow: 'flowtable offload is not simulated',
  secmark: 'SELinux marks are not simulated',
};

function rest(c: Cursor): string {
  const words: string[] = [];
  while (!c.atEnd()) words.push(c.next()?.text ?? '');
  return words.join(' ');
}

/** `to ADDR[:PORT]`, `to :PORT`, `to [v6]:PORT`: address and port. */
function natTarget(c: Cursor, what: string): { address?: NftValue; port?: number } {
  const t = c.word(`${what} needs an address or port`, 'ADDRESS[:PORT] or :PORT');
  const pos = c.pos(t);
  const text = t.text;
  let address: string | undefined;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) {
    address = bracket[1];
    portText = bracket[2];
  } else if (text.startsWith(':')) {
    portText = text.slice(1);
  } else if (/^[0-9.]+:\d+(-\d+)?$/.test(text)) {
    [address, portText] = text.split(':');
  } else {
    address = text;
  }
  const port = portText === undefined ? undefined : Number(portText.split('-')[0]);
  if (port !== undefined && !(port >= 0 && port <= 65535)) {
    throw c.fail(`${what}: bad port`, 'a port 0-65535');
  }
  return {
    ...(address === undefined || address === '' ? {} : { address: { text: address, pos } }),
    ...(port === undefined ? {} : { port }),
  };
}

const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent', 'netmap', 'prefix']);

function natFlags(c: Cursor): string[] {
  const flags: string[] = [];
  while (c.peek() && NAT_FLAGS.has(c.peek()?.text ?? '')) {
    flags.push(c.next()?.text ?? '');
    c.accept(',');
  }
  return flags;
}

function nat(c: Cursor, type: 'dnat' | 'snat' | 'redirect' | 'masquerade', pos: Stmt['pos']): Stmt {
  let family: 'ip' | 'ip6' | undefined;
  if (c.is('ip') || c.is('ip6')) family = c.next()?.text as 'ip' | 'ip6';
  let target: { address?: NftValue; port?: number } = {};
  if (c.accept('to')) target = natTarget(c, type);
  else if (type === 'dnat' || type === 'snat') c.fail(`${type} needs "to"`, '"to ADDRESS[:PORT]"');
  if (type === 'redirect' && target.address) c.fail('redirect takes a port only', '"to :PORT"');
  return {
    kind: 'nat',
    type,
    ...(family ? { family } : {}),
    ...target,
    flags: natFlags(c),
    pos,
  };
}

function reject(c: Cursor, pos: Stmt['pos']): Stmt {
  if (!c.accept('with')) return { kind: 'reject', pos };
  const kind = c.word('reject with needs a type', 'icmp, icmpv6, icmpx or tcp reset');
  if (kind.text === 'tcp') {
    c.expect('reset', 'expected "reset"');
    return { kind: 'reject', with: 'tcp-reset', pos };
  }
  c.accept('type');
  const type = c.word('reject with needs a type', 'an ICMP type name').text;
  return { kind: 'reject', with: `${kind.text} ${type}`, pos };
}

function setop(c: Cursor, op: 'add' | 'update' | 'delete', pos: Stmt['pos']): Stmt {
  const name = c.word(`${op} needs a set`, '@name');
  if (!name.text.startsWith('@')) {
    c.back();
    c.fail(`${op} needs a set`, '@name');
  }
  c.expect('{', `${op} @set needs "{ key }"`);
  const key = expression(c);
  let timeout: number | undefined;
  if (c.accept('timeout')) {
    const t = c.word('timeout needs a duration', 'a duration such as 3h');
    timeout = durationSeconds(t.text);
    if (timeout === undefined) c.fail('bad duration', 'a duration such as 10800s or 3h');
  }
  c.expect('}', 'expected "}"');
  return {
    kind: 'setop',
    op,
    set: name.text.slice(1),
    key,
    ...(timeout === undefined ? {} : { timeout }),
    pos,
  };
}

function log(c: Cursor, pos: Stmt['pos']): Stmt {
  let prefix: string | undefined;
  for (;;) {
    if (c.accept('prefix')) prefix = c.word('prefix needs text', 'a string').text;
    else if (c.accept('level') || c.accept('group') || c.accept('snaplen')) c.next();
    else if (c.accept('queue-threshold')) c.next();
    else if (c.accept('flags')) {
      c.next();
      while (c.accept(',')) c.next();
    } else break;
  }
  return { kind: 'log', ...(prefix === undefined ? {} : { prefix }), pos };
}

function counter(c: Cursor, pos: Stmt['pos']): Stmt {
  if (!c.is('packets')) return { kind: 'counter', pos };
  c.next();
  const packets = countWord(c, 'counter packets needs a number');
  c.expect('bytes', 'expected "bytes"');
  const bytes = countWord(c, 'counter bytes needs a number');
  const read = countersFromText(packets, bytes);
  if (typeof read === 'object') return { kind: 'counter', counters: read, pos };
  // Back to the count that does not fit, so the error points at it.
  for (let i = read === 'packets' ? 3 : 1; i > 0; i--) c.back();
  const { message, expected } = tooBigCount(read);
  return c.fail(message, expected);
}

/** A count as decimal digits (nft prints decimal; its scanner also reads hex). */
function countWord(c: Cursor, message: string): string {
  const t = c.word(message, 'a number');
  if (t.kind !== 'string' && /^\d+$/.test(t.text)) return t.text;
  if (t.kind !== 'string' && /^0x[0-9a-f]+$/i.test(t.text)) return BigInt(t.text).toString();
  c.back();
  return c.fail(message, 'a number');
}

/** A statement that starts with an expression: a relation, `set`, or `vmap`. */
function fromExpression(c: Cursor, pos: Stmt['pos']): Stmt {
  const left = expression(c);
  if (c.accept('set')) {
    if (left.kind !== 'meta' && left.kind !== 'ct')
      c.fail('only meta and ct keys can be set here', 'meta KEY set or ct KEY set');
    const v = startsExpression(c) ? expression(c) : value(c, 'set needs a value');
    if ('kind' in v) return { kind: 'set', target: left, value: v, pos };
    // `mark set 0x1 | 0x2` is not nft: a value with operators is written as an expression.
    return { kind: 'set', target: left, value: v, pos };
  }
  if (c.accept('vmap')) {
    const map = c.is('{') ? { kind: 'anonymous' as const, elements: elements(c, true) } : rhs(c);
    if (map.kind !== 'anonymous' && map.kind !== 'named')
      c.fail('vmap needs a map', '@name or { key : verdict, … }');
    return { kind: 'vmap', key: left, map, pos };
  }
  const opWord = c.peek();
  const op = opWord && opWord.kind === 'word' ? OPS[opWord.text] : undefined;
  if (op) c.next();
  if (c.atEnd()) c.fail('the match needs a value', 'a value, a set or @name');
  return { kind: 'match', left, ...(op ? { op } : {}), right: rhs(c), pos };
}

/** One statement at the cursor. */
function statement(c: Cursor): Stmt | { comment: string } {
  const t = c.peek();
  const pos = c.pos(t);
  if (t?.kind !== 'word') return c.fail('expected a match or statement', 'a match or statement');
  if (startsExpression(c)) return fromExpression(c, pos);
  if (isVerdictWord(c) && t.text !== 'queue') return { kind: 'verdict', verdict: verdict(c), pos };
  c.next();
  switch (t.text) {
    case 'counter':
      return counter(c, pos);
    case 'comment':
      return { comment: c.word('comment needs text', 'a string').text };
    case 'dnat':
    case 'snat':
    case 'redirect':
    case 'masquerade':
      return nat(c, t.text, pos);
    case 'tproxy': {
      let family: 'ip' | 'ip6' | undefined;
      if (c.is('ip') || c.is('ip6')) family = c.next()?.text as 'ip' | 'ip6';
      c.expect('to', 'tproxy needs "to"');
      const target = natTarget(c, 'tproxy');
      if (target.port === undefined) c.fail('tproxy needs a port', '"to [ADDRESS]:PORT"');
      return { kind: 'tproxy', ...(family ? { family } : {}), ...target, port: target.port, pos };
    }
    case 'reject':
      return reject(c, pos);
    case 'add':
    case 'update':
    case 'delete':
      return setop(c, t.text, pos);
    case 'log':
      return log(c, pos);
    case 'notrack':
      return { kind: 'notrack', pos };
  }
  const why = UNSIMULATED[t.text];
  if (why !== undefined)
    return { kind: 'unsupported', text: `${t.text} ${rest(c)}`.trim(), why, pos };
  // Back to the word for the error's column.
  c.back();
  throw c.fail('unknown statement', 'a match or statement');
}

/** Every statement of a rule's tokens, and its comment. */
export function statements(c: Cursor): { statements: Stmt[]; comment?: string } {
  const out: Stmt[] = [];
  let comment: string | undefined;
  while (!c.atEnd()) {
    const s = statement(c);
    if ('comment' in s) comment = s.comment;
    else out.push(s);
  }
  return { statements: out, ...(comment === undefined ? {} : { comment }) };
}
