/**
 * A rule of the model back to nft's words, as `nft list` prints it: for rules read from `nft -j`
 * JSON, which has no text, so that listings, the UI and `nft -f` see them as nft shows them.
 */

import { countText } from '../../model/index.js';
import type {
  NftElement,
  NftExpr,
  NftRhs,
  NftStatement,
  NftValue,
  NftVerdict,
} from '../../model/nft.js';
import { typeOf } from './types.js';

/** Meta keys `nft list` prints without `meta` (it prints `meta mark`, `meta skuid`). */
const BARE_META = new Set(['iifname', 'oifname', 'iif', 'oif']);

const BINOP_WORDS = { and: '&', or: '|', xor: '^', lshift: '<<', rshift: '>>' } as const;

export function printVerdict(v: NftVerdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind;
}

/** Interface names are quoted by nft; other values print bare. */
function printValue(v: NftValue, left?: NftExpr): string {
  return left && typeOf(left) === 'ifname' ? `"${v.text}"` : v.text;
}

export function printExpr(e: NftExpr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.protocol} ${e.field}`;
    case 'meta':
      return BARE_META.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct':
      return `ct ${e.direction ? `${e.direction} ` : ''}${e.key}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'numgen':
      return `numgen ${e.mode} mod ${e.modulus}${e.offset ? ` offset ${e.offset}` : ''}`;
    case 'concat':
      return e.parts.map(printExpr).join(' . ');
    case 'binop':
      return `${printExpr(e.left)} ${BINOP_WORDS[e.op]} ${e.right.text}`;
  }
}

function printElement(e: NftElement, left?: NftExpr): string {
  const parts = left?.kind === 'concat' ? left.parts : [left];
  const key = e.key.map((k, i) => printValue(k, parts[i])).join(' . ');
  const comment = e.comment === undefined ? '' : ` comment "${e.comment}"`;
  const data = e.verdict ? ` : ${printVerdict(e.verdict)}` : e.data ? ` : ${e.data.text}` : '';
  return `${key}${comment}${data}`;
}

function printRhs(r: NftRhs, left: NftExpr): string {
  switch (r.kind) {
    case 'value':
      return printValue(r.value, left);
    case 'list':
      return r.values.map((v) => printValue(v, left)).join(',');
    case 'anonymous':
      return `{ ${r.elements.map((e) => printElement(e, left)).join(', ')} }`;
    case 'named':
      return `@${r.name}`;
  }
}

function printNat(s: Extract<NftStatement, { kind: 'nat' }>): string {
  const family = s.family ? ` ${s.family}` : '';
  const port = s.port === undefined ? '' : `:${s.port}`;
  const address = port && s.address?.text.includes(':') ? `[${s.address.text}]` : s.address?.text;
  const to = address !== undefined || port !== '' ? ` to ${address ?? ''}${port}` : '';
  const flags = s.flags.length > 0 ? ` ${s.flags.join(',')}` : '';
  return `${s.type}${family}${to}${flags}`;
}

export function printStatement(s: NftStatement): string {
  switch (s.kind) {
    case 'match':
      return `${printExpr(s.left)} ${s.op ? `${s.op} ` : ''}${printRhs(s.right, s.left)}`;
    case 'counter':
      return s.counters
        ? `counter packets ${countText(s.counters, 'packets')} bytes ${countText(s.counters, 'bytes')}`
        : 'counter';
    case 'verdict':
      return printVerdict(s.verdict);
    case 'vmap':
      return `${printExpr(s.key)} vmap ${printRhs(s.map, s.key)}`;
    case 'set':
      return `${printExpr(s.target)} set ${'text' in s.value ? s.value.text : printExpr(s.value)}`;
    case 'nat':
      return printNat(s);
    case 'tproxy': {
      const address = s.address?.text.includes(':') ? `[${s.address.text}]` : s.address?.text;
      return `tproxy${s.family ? ` ${s.family}` : ''} to ${address ?? ''}:${s.port}`;
    }
    case 'reject':
      return s.with === undefined
        ? 'reject'
        : s.with === 'tcp-reset'
          ? 'reject with tcp reset'
          : `reject with ${s.with}`;
    case 'setop': {
      const timeout = s.timeout === undefined ? '' : ` timeout ${s.timeout}s`;
      return `${s.op} @${s.set} { ${printExpr(s.key)}${timeout} }`;
    }
    case 'log':
      return s.prefix === undefined ? 'log' : `log prefix "${s.prefix}"`;
    case 'notrack':
      return 'notrack';
    case 'unsupported':
      return s.text;
  }
}

/** A rule's statements and comment as one line, as `nft list chain` prints a rule. */
export function printRule(statements: readonly NftStatement[], comment?: string): string {
  const words = statements.map(printStatement);
  if (comment !== undefined) words.push(`comment "${comment}"`);
  return words.join(' ');
}
