/**
 * The parts of `nft -j` JSON that make rules: expressions (`{"payload": {"protocol": "tcp",
 * "field": "dport"}}`, `{"&": [{"meta": {"key": "mark"}}, 4095]}`), right-hand sides, set
 * elements and statements, into the same model the text reader builds (libnftables-json(5)).
 * Values become the text `nft list` prints for them (marks in hex), so a rule read from JSON
 * reads, prints and simulates as the same rule read from `nft list ruleset`.
 */

import type { Counters } from '../../model/index.js';
import type {
  NftElement,
  NftExpr,
  NftFamily,
  NftOp,
  NftRhs,
  NftStatement,
  NftValue,
  NftVerdict,
} from '../../model/nft.js';
import { countersFromText, tooBigCount } from '../counter-text.js';
import type { JsonAt } from './json-node.js';
import { UNSIMULATED } from './statements.js';
import { isFlagType, type NftType, partTypes, typeOf } from './types.js';

const BINOPS = { '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift' } as const;
const SIMPLE_VERDICTS = ['accept', 'drop', 'return', 'continue', 'queue'] as const;
const OPS: Readonly<Record<string, NftOp>> = {
  '==': '==',
  '!=': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};
const EXPRESSIONS = 'payload, meta, ct, fib, numgen, concat or a bitwise operator';

function scalarText(at: JsonAt, type: NftType | undefined): string {
  if (at.node.type === 'number' && type === 'mark')
    return `0x${(at.node.value as number).toString(16).padStart(8, '0')}`;
  const text = at.scalar();
  if (text === undefined) at.fail('expected a value', 'a string or number');
  return text;
}

/** A value: `"10.0.0.1"`, `80`, `{"prefix": {"addr", "len"}}`, `{"range": [lo, hi]}`. */
export function jsonValue(at: JsonAt, type?: NftType): NftValue {
  const pos = at.pos;
  if (!at.isObject) return { text: scalarText(at, type), pos };
  const { key, value } = at.single('a value, prefix or range');
  if (key === 'prefix')
    return {
      text: `${scalarText(value.need('addr', 'an address'), type)}/${value.need('len', 'a length').number('a prefix length')}`,
      pos,
    };
  if (key === 'range' && value.isArray && value.items().length === 2) {
    const [lo, hi] = value.items() as [JsonAt, JsonAt];
    return { text: `${scalarText(lo, type)}-${scalarText(hi, type)}`, pos };
  }
  return at.fail(`"${key}" is not a value nfdb reads`, 'a string, number, prefix or range');
}

export function jsonVerdict(at: JsonAt): NftVerdict | undefined {
  if (!at.isObject || at.keys().length !== 1) return undefined;
  const { key, value } = at.single('a verdict');
  if ((SIMPLE_VERDICTS as readonly string[]).includes(key))
    return { kind: key as (typeof SIMPLE_VERDICTS)[number] };
  if (key !== 'jump' && key !== 'goto') return undefined;
  const target = value.need('target', 'a chain name');
  return { kind: key, chain: target.string('a chain name'), pos: target.pos };
}

export function jsonExpr(at: JsonAt): NftExpr {
  if (!at.isObject) at.fail('expected an expression', EXPRESSIONS);
  const { key, value } = at.single(EXPRESSIONS);
  switch (key) {
    case 'payload':
      if (!value.get('protocol'))
        value.fail('a raw payload expression is not simulated', 'a protocol and field');
      return {
        kind: 'payload',
        protocol: value.need('protocol', 'a protocol').string('a protocol'),
        field: value.need('field', 'a header field').string('a header field'),
      };
    case 'meta':
      return { kind: 'meta', key: value.need('key', 'a meta key').string('a meta key') };
    case 'ct': {
      const name = value.need('key', 'a ct key').string('a ct key');
      const family = value.optionalString('family');
      const dir = value.optionalString('dir');
      if (dir !== undefined && dir !== 'original' && dir !== 'reply')
        value.need('dir', '').fail('unknown ct direction', 'original or reply');
      return {
        kind: 'ct',
        key: family ? `${family} ${name}` : name,
        ...(dir === undefined ? {} : { direction: dir as 'original' | 'reply' }),
      };
    }
    case 'fib':
      return {
        kind: 'fib',
        flags: value.strings('flags'),
        result: value.need('result', 'type, oif or oifname').string('a fib result'),
      };
    case 'numgen': {
      const mode = value.need('mode', 'random or inc').string('random or inc');
      if (mode !== 'random' && mode !== 'inc')
        return value.need('mode', '').fail('unknown numgen mode', 'random or inc');
      return {
        kind: 'numgen',
        mode,
        modulus: value.need('mod', 'a modulus').number('a modulus'),
        offset: value.optionalNumber('offset') ?? 0,
      };
    }
    case 'concat':
      return { kind: 'concat', parts: value.items().map(jsonExpr) };
  }
  const op = BINOPS[key as keyof typeof BINOPS];
  if (!op) return at.fail(`"${key}" is not an expression nfdb reads`, EXPRESSIONS);
  const [left, right, ...more] = value.items();
  if (!left || !right || more.length > 0)
    return value.fail(`"${key}" needs two operands`, '[left, right]');
  const l = jsonExpr(left);
  return { kind: 'binop', op, left: l, right: jsonValue(right, typeOf(l)) };
}

/** A set element, alone or as `[key, data]` in a map: `{"elem": {"val", "comment"}}` unwrapped. */
export function jsonElement(at: JsonAt, types: readonly (NftType | undefined)[]): NftElement {
  const pos = at.pos;
  const [keyAt, dataAt] = at.isArray ? at.items() : [at];
  let key = keyAt as JsonAt;
  let comment: string | undefined;
  const wrapped = key.isObject && key.keys()[0] === 'elem' ? key.get('elem') : undefined;
  if (wrapped) {
    comment = wrapped.optionalString('comment');
    key = wrapped.need('val', 'the element');
  }
  const concat = key.isObject && key.keys()[0] === 'concat' ? key.get('concat') : undefined;
  const parts = concat ? concat.items() : [key];
  const element = {
    key: parts.map((p, i) => jsonValue(p, types[i])),
    pos,
    ...(comment === undefined ? {} : { comment }),
  };
  if (!dataAt) return element;
  const verdict = jsonVerdict(dataAt);
  return verdict ? { ...element, verdict } : { ...element, data: jsonValue(dataAt) };
}

export function jsonRhs(at: JsonAt, left: NftExpr): NftRhs {
  const types = partTypes(left);
  if (at.node.type === 'string' && String(at.node.value).startsWith('@'))
    return { kind: 'named', name: String(at.node.value).slice(1), pos: at.pos };
  if (at.isArray) return { kind: 'list', values: at.items().map((v) => jsonValue(v, types[0])) };
  const set = at.isObject && at.keys()[0] === 'set' ? at.get('set') : undefined;
  if (set) {
    const items = set.isArray ? set.items() : [set];
    return { kind: 'anonymous', elements: items.map((e) => jsonElement(e, types)) };
  }
  return { kind: 'value', value: jsonValue(at, types[0]) };
}

/** nft prints `==` only where it means more than the implicit relation. */
function relation(at: JsonAt, left: NftExpr): NftOp | undefined {
  const op = at.string('an operator');
  if (op === 'in') return undefined;
  if (op === '==') return left.kind === 'binop' || isFlagType(typeOf(left)) ? '==' : undefined;
  const known = OPS[op];
  if (!known) at.fail('unknown operator', '==, !=, <, >, <=, >= or in');
  return known;
}

function natPort(at: JsonAt | undefined): number | undefined {
  if (!at) return undefined;
  const range = at.isObject ? at.get('range')?.items()[0] : undefined;
  return (range ?? at).number('a port');
}

type NatKind = 'dnat' | 'snat' | 'redirect' | 'masquerade';

function nat(type: NatKind, at: JsonAt): Omit<Extract<NftStatement, { kind: 'nat' }>, 'pos'> {
  const family = at.isObject ? at.optionalString('family') : undefined;
  const addr = at.isObject ? at.get('addr') : undefined;
  const port = at.isObject ? natPort(at.get('port')) : undefined;
  return {
    kind: 'nat',
    type,
    ...(family === 'ip' || family === 'ip6' ? { family } : {}),
    ...(addr ? { address: jsonValue(addr) } : {}),
    ...(port === undefined ? {} : { port }),
    flags: at.isObject ? at.strings('flags') : [],
  };
}

/** The default reject of each family prints as plain `reject`. */
const DEFAULT_REJECT: Readonly<Record<string, string>> = {
  ip: 'icmp',
  ip6: 'icmpv6',
  inet: 'icmpx',
};

function reject(
  at: JsonAt,
  family: NftFamily,
): Omit<Extract<NftStatement, { kind: 'reject' }>, 'pos'> {
  if (!at.isObject) return { kind: 'reject' };
  const type = at.optionalString('type');
  const expr = at.optionalString('expr');
  if (type === 'tcp reset') return { kind: 'reject', with: 'tcp-reset' };
  if (type === undefined || (expr === 'port-unreachable' && DEFAULT_REJECT[family] === type))
    return { kind: 'reject' };
  return { kind: 'reject', with: `${type} ${expr ?? 'port-unreachable'}` };
}

function setop(at: JsonAt): Omit<Extract<NftStatement, { kind: 'setop' }>, 'pos'> {
  const op = at.need('op', 'add, update or delete').string('add, update or delete');
  if (op !== 'add' && op !== 'update' && op !== 'delete')
    return at.need('op', '').fail('unknown set operation', 'add, update or delete');
  const name = at.need('set', '@name').string('@name');
  let elem = at.need('elem', 'the key');
  const wrapped = elem.isObject && elem.keys()[0] === 'elem' ? elem.get('elem') : undefined;
  const timeout = wrapped?.optionalNumber('timeout');
  if (wrapped) elem = wrapped.need('val', 'the key');
  return {
    kind: 'setop',
    op,
    set: name.replace(/^@/, ''),
    key: jsonExpr(elem),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/** A statement before its position is added (Omit spread over each kind). */
type Body = NftStatement extends infer S ? (S extends unknown ? Omit<S, 'pos'> : never) : never;

/** One statement of a rule's `expr` list. */
export function jsonStatement(at: JsonAt, family: NftFamily): NftStatement {
  const pos = at.pos;
  const verdict = jsonVerdict(at);
  if (verdict) return { kind: 'verdict', verdict, pos };
  const { key, value } = at.single('a statement');
  const body = ((): Body => {
    switch (key) {
      case 'match': {
        const left = jsonExpr(value.need('left', 'an expression'));
        const op = relation(value.need('op', 'an operator'), left);
        const right = jsonRhs(value.need('right', 'a value, set or @name'), left);
        return { kind: 'match', left, ...(op ? { op } : {}), right };
      }
      case 'counter': {
        const packets = value.isObject ? value.optionalDigits('packets') : undefined;
        const bytes = value.isObject ? value.optionalDigits('bytes') : undefined;
        if (value.node.type === 'string')
          return {
            kind: 'unsupported',
            text: `counter name ${value.string('')}`,
            why: 'named counters are not simulated',
          };
        return packets === undefined
          ? { kind: 'counter' }
          : { kind: 'counter', counters: jsonCounters(value, packets, bytes ?? '0') };
      }
      case 'vmap': {
        const k = jsonExpr(value.need('key', 'an expression'));
        const map = jsonRhs(value.need('data', '@name or a set of key : verdict'), k);
        if (map.kind !== 'anonymous' && map.kind !== 'named')
          value.need('data', '').fail('vmap needs a map', '@name or { key : verdict, … }');
        return { kind: 'vmap', key: k, map };
      }
      case 'mangle': {
        const target = jsonExpr(value.need('key', 'meta or ct key'));
        if (target.kind !== 'meta' && target.kind !== 'ct')
          value.need('key', '').fail('only meta and ct keys can be set here', 'meta KEY or ct KEY');
        const v = value.need('value', 'a value or expression');
        return {
          kind: 'set',
          target,
          value:
            v.isObject && !v.get('prefix') && !v.get('range')
              ? jsonExpr(v)
              : jsonValue(v, typeOf(target)),
        };
      }
      case 'dnat':
      case 'snat':
      case 'redirect':
      case 'masquerade':
        return nat(key, value);
      case 'tproxy': {
        const family = value.optionalString('family');
        const addr = value.get('addr');
        return {
          kind: 'tproxy',
          ...(family === 'ip' || family === 'ip6' ? { family } : {}),
          ...(addr ? { address: jsonValue(addr) } : {}),
          port: natPort(value.need('port', 'a port')) as number,
        };
      }
      case 'reject':
        return reject(value, family);
      case 'set':
        return setop(value);
      case 'log':
        return value.isObject && value.get('prefix')
          ? { kind: 'log', prefix: value.optionalString('prefix') as string }
          : { kind: 'log' };
      case 'notrack':
        return { kind: 'notrack' };
    }
    const why = UNSIMULATED[key];
    if (why !== undefined)
      return { kind: 'unsupported', text: `${key} ${JSON.stringify(jsonPlain(value))}`, why };
    return at.fail(`"${key}" is not a statement nfdb reads`, 'a match, verdict or statement');
  })();
  return { ...body, pos } as NftStatement;
}

/** A JSON value as plain data, for the text of a statement nfdb does not simulate. */
function jsonPlain(at: JsonAt): unknown {
  if (at.isObject)
    return Object.fromEntries(at.keys().map((k) => [k, jsonPlain(at.get(k) as JsonAt)]));
  if (at.isArray) return at.items().map(jsonPlain);
  return at.node.value ?? null;
}

/** A counter's counts exactly, or the error at the count that no 64-bit counter holds. */
function jsonCounters(at: JsonAt, packets: string, bytes: string): Counters {
  const counters = countersFromText(packets, bytes);
  if (typeof counters !== 'string') return counters;
  const { message, expected } = tooBigCount(counters);
  return (at.get(counters) ?? at).fail(message, expected);
}
