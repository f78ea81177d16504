/**
 * Expressions and right-hand sides of nft rules: `ip daddr`, `meta l4proto . th dport`,
 * `ct mark & 0xfffff000 | 0x111`, `{ 53, 15008 }`, `@service-ips`, `{ 0 : goto a, 1 : goto b }`.
 * The grammar is nft's (parser_bison.y), for the part of it rulesets in the field use.
 */
import type { NftElement, NftExpr, NftRhs, NftValue, NftVerdict } from '../../model/nft.js';
import type { Cursor } from './cursor.js';

const PAYLOAD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ip: ['saddr', 'daddr', 'protocol', 'ttl', 'length', 'dscp', 'id', 'version', 'hdrlength'],
  ip6: ['saddr', 'daddr', 'nexthdr', 'hoplimit', 'length', 'dscp', 'flowlabel', 'version'],
  tcp: ['sport', 'dport', 'flags', 'sequence', 'window'],
  udp: ['sport', 'dport', 'length'],
  udplite: ['sport', 'dport'],
  sctp: ['sport', 'dport'],
  dccp: ['sport', 'dport'],
  th: ['sport', 'dport'],
  icmp: ['type', 'code'],
  icmpv6: ['type', 'code'],
};

/** Meta keys nft takes without `meta` in front. */
const BARE_META = new Set([
  'mark',
  'iif',
  'iifname',
  'iiftype',
  'oif',
  'oifname',
  'oiftype',
  'skuid',
  'skgid',
  'nftrace',
  'rtclassid',
  'pkttype',
  'cpu',
  'iifgroup',
  'oifgroup',
  'cgroup',
  'priority',
]);

const META_KEYS = new Set([...BARE_META, 'l4proto', 'protocol', 'nfproto', 'length', 'random']);

const CT_KEYS = new Set([
  'state',
  'status',
  'mark',
  'zone',
  'direction',
  'expiration',
  'helper',
  'l3proto',
  'protocol',
  'label',
  'bytes',
  'packets',
  'saddr',
  'daddr',
  'proto-src',
  'proto-dst',
  'id',
]);

const FIB_FLAGS = new Set(['saddr', 'daddr', 'mark', 'iif', 'oif']);

/** Words that begin an expression: a statement parser asks before it reads a value. */
export function startsExpression(c: Cursor): boolean {
  const t = c.peek();
  if (t?.kind !== 'word') return false;
  const w = t.text;
  return (
    w in PAYLOAD_FIELDS ||
    BARE_META.has(w) ||
    w === 'meta' ||
    w === 'ct' ||
    w === 'fib' ||
    w === 'numgen'
  );
}

function payload(c: Cursor, protocol: string): NftExpr {
  const fields = PAYLOAD_FIELDS[protocol] ?? [];
  const f = c.word(`"${protocol}" needs a header field`, fields.join(', '));
  if (!fields.includes(f.text)) {
    c.back();
    c.fail(`unknown ${protocol} header field`, fields.join(', '));
  }
  return { kind: 'payload', protocol, field: f.text };
}

function ct(c: Cursor): NftExpr {
  let direction: 'original' | 'reply' | undefined;
  if (c.is('original') || c.is('reply')) direction = c.next()?.text as 'original' | 'reply';
  const t = c.peek();
  if (direction && (c.is('ip') || c.is('ip6'))) {
    const family = c.next()?.text as string;
    const f = c.word('"ct original ip" needs saddr or daddr', 'saddr or daddr');
    return { kind: 'ct', key: `${family} ${f.text}`, direction };
  }
  if (!t || !CT_KEYS.has(t.text)) c.fail('unknown ct key', [...CT_KEYS].join(', '));
  c.next();
  return direction ? { kind: 'ct', key: t.text, direction } : { kind: 'ct', key: t.text };
}

function fib(c: Cursor): NftExpr {
  const flags: string[] = [];
  for (;;) {
    const f = c.peek();
    if (!f || !FIB_FLAGS.has(f.text)) c.fail('unknown fib input', [...FIB_FLAGS].join(', '));
    flags.push(f.text);
    c.next();
    if (!(c.is('.') && FIB_FLAGS.has(c.peek(1)?.text ?? ''))) break;
    c.next();
  }
  const r = c.word('fib needs a result', 'type, oif or oifname');
  if (!['type', 'oif', 'oifname'].includes(r.text)) {
    c.back();
    c.fail('unknown fib result', 'type, oif or oifname');
  }
  return { kind: 'fib', flags, result: r.text };
}

function numgen(c: Cursor): NftExpr {
  const mode = c.word('numgen needs a mode', 'random or inc');
  if (mode.text !== 'random' && mode.text !== 'inc') {
    c.back();
    c.fail('unknown numgen mode', 'random or inc');
  }
  c.expect('mod', 'numgen needs a modulus');
  const modulus = c.integer('numgen needs a modulus');
  const offset = c.accept('offset') ? c.integer('numgen offset needs a number') : 0;
  return { kind: 'numgen', mode: mode.text, modulus, offset };
}

function primary(c: Cursor): NftExpr {
  const t = c.peek();
  if (t?.kind !== 'word') return c.fail('expected an expression', 'a match or statement');
  const w = t.text;
  c.next();
  if (w in PAYLOAD_FIELDS) return payload(c, w);
  if (BARE_META.has(w)) return { kind: 'meta', key: w };
  if (w === 'meta') {
    const k = c.word('"meta" needs a key', 'a meta key');
    if (!META_KEYS.has(k.text)) {
      c.back();
      c.fail('unknown meta key', [...META_KEYS].join(', '));
    }
    return { kind: 'meta', key: k.text };
  }
  if (w === 'ct') return ct(c);
  if (w === 'fib') return fib(c);
  if (w === 'numgen') return numgen(c);
  c.back();
  return c.fail('unknown expression', 'a match or statement');
}

const BINOPS: Readonly<Record<string, 'and' | 'or' | 'xor' | 'lshift' | 'rshift'>> = {
  '&': 'and',
  and: 'and',
  '|': 'or',
  or: 'or',
  '^': 'xor',
  xor: 'xor',
  '<<': 'lshift',
  lshift: 'lshift',
  '>>': 'rshift',
  rshift: 'rshift',
};

export function value(c: Cursor, what: string): NftValue {
  const t = c.word(what, 'a value');
  return { text: t.text, pos: c.pos(t) };
}

/** `EXPR [& v | v …]`: the bitwise operators nft prints as it evaluates them, left to right. */
function withBinops(c: Cursor, left: NftExpr): NftExpr {
  let expr = left;
  for (;;) {
    const t = c.peek();
    const op = t && t.kind === 'word' ? BINOPS[t.text] : undefined;
    if (!op) return expr;
    c.next();
    expr = { kind: 'binop', op, left: expr, right: value(c, `"${t?.text}" needs a value`) };
  }
}

/** An expression with its bitwise operators and ` . ` concatenations. */
export function expression(c: Cursor): NftExpr {
  const first = withBinops(c, primary(c));
  if (!c.is('.')) return first;
  const parts = [first];
  while (c.accept('.')) parts.push(withBinops(c, primary(c)));
  return { kind: 'concat', parts };
}

const SIMPLE_VERDICTS = new Set(['accept', 'drop', 'return', 'continue', 'queue']);

export function isVerdictWord(c: Cursor): boolean {
  const t = c.peek();
  return (
    t !== undefined &&
    t.kind === 'word' &&
    (SIMPLE_VERDICTS.has(t.text) || t.text === 'jump' || t.text === 'goto')
  );
}

export function verdict(c: Cursor): NftVerdict {
  const t = c.word('expected a verdict', 'accept, drop, return, continue, jump or goto');
  if (SIMPLE_VERDICTS.has(t.text))
    return { kind: t.text as 'accept' | 'drop' | 'return' | 'continue' | 'queue' };
  if (t.text === 'jump' || t.text === 'goto') {
    const chain = c.word(`"${t.text}" needs a chain`, 'a chain name');
    return { kind: t.text, chain: chain.text, pos: c.pos(chain) };
  }
  c.back();
  return c.fail('unknown verdict', 'accept, drop, return, continue, jump or goto');
}

/** One element: `a . b . c [timeout T] [comment "x"] [: verdict-or-value]`. */
function element(c: Cursor, map: boolean): NftElement {
  const pos = c.pos();
  const key: NftValue[] = [value(c, 'expected an element')];
  while (c.accept('.')) key.push(value(c, 'expected the next part of the element'));
  let comment: string | undefined;
  for (;;) {
    if (c.accept('comment')) comment = c.word('comment needs text', 'a string').text;
    else if (c.accept('timeout') || c.accept('expires')) c.word('needs a duration', 'a duration');
    else if (c.accept('counter')) {
      if (c.accept('packets')) c.integer('packets needs a number');
      if (c.accept('bytes')) c.integer('bytes needs a number');
    } else break;
  }
  if (!map || !c.accept(':')) return { key, pos, ...(comment === undefined ? {} : { comment }) };
  const base = { key, pos, ...(comment === undefined ? {} : { comment }) };
  if (isVerdictWord(c)) return { ...base, verdict: verdict(c) };
  return { ...base, data: value(c, 'expected the mapped value') };
}

/** `{ e, e, … }`, the opening brace next; `map` when elements carry `: data`. */
export function elements(c: Cursor, map: boolean): NftElement[] {
  c.expect('{', 'expected a set');
  const out: NftElement[] = [];
  while (!c.accept('}')) {
    if (c.atEnd()) c.fail('unterminated set', '"}"');
    out.push(element(c, map || c.is(':', 1) || c.is(':', 3) || c.is(':', 5)));
    if (!c.accept(',') && !c.is('}')) c.fail('expected "," or "}" in a set', '"," or "}"');
  }
  return out;
}

/** The right side of a relation: a value, a flag list, an anonymous set or `@name`. */
export function rhs(c: Cursor): NftRhs {
  const t = c.peek();
  if (!t) return c.fail('the match needs a value', 'a value, a set or @name');
  if (t.text === '{' && t.kind === 'punct')
    return { kind: 'anonymous', elements: elements(c, false) };
  if (t.kind === 'word' && t.text.startsWith('@') && t.text.length > 1) {
    c.next();
    return { kind: 'named', name: t.text.slice(1), pos: c.pos(t) };
  }
  const first = value(c, 'the match needs a value');
  if (!c.is(',')) return { kind: 'value', value: first };
  const values = [first];
  while (c.accept(',')) values.push(value(c, 'expected the next value of the list'));
  return { kind: 'list', values };
}
