/**
 * The declarations of chains and sets: `{ type nat hook output priority -100 ; policy accept ; }`
 * and `{ type ipv4_addr . inet_proto . inet_service : verdict ; flags dynamic,timeout ; timeout
 * 10800s ; elements = { … } }`, whether written on an `add` line or in a `table { }` block.
 */
import type { Hook } from '../../model/index.js';
import type { NftBase, NftChainType, NftElement } from '../../model/nft.js';
import { NFT_PRIORITIES } from '../../model/nft.js';
import type { Cursor } from './cursor.js';
import { elements, expression } from './expressions.js';
import { durationSeconds, partTypes } from './types.js';

export const NFT_HOOKS: Readonly<Record<string, Hook>> = {
  prerouting: 'PREROUTING',
  input: 'INPUT',
  forward: 'FORWARD',
  output: 'OUTPUT',
  postrouting: 'POSTROUTING',
};

/**
 * A priority as `nft list` prints it: by the name within 10 of it (`dstnat - 10`), where that
 * name fits the hook (dstnat on prerouting, srcnat on postrouting only), else the number.
 */
export function priorityText(priority: number, hook: Hook): string {
  for (const [name, value] of Object.entries(NFT_PRIORITIES)) {
    const offset = priority - value;
    if (Math.abs(offset) > 10) continue;
    if (name === 'dstnat' && hook !== 'PREROUTING') continue;
    if (name === 'srcnat' && hook !== 'POSTROUTING') continue;
    return offset === 0 ? name : `${name} ${offset > 0 ? '+' : '-'} ${Math.abs(offset)}`;
  }
  return String(priority);
}

/** What a chain's declaration has said so far. */
export interface ChainSpec {
  base?: NftBase;
  comment?: string;
  /** A hook nfdb does not run (`ingress`): the chain is kept, never entered. */
  unrunHook?: string;
}

function priority(c: Cursor): { value: number; text: string } {
  const t = c.word(
    'priority needs a value',
    'a number or raw, mangle, dstnat, filter, security, srcnat',
  );
  const named = NFT_PRIORITIES[t.text];
  if (named === undefined) {
    if (!/^-?\d+$/.test(t.text)) {
      c.back();
      c.fail('unknown priority', 'a number or raw, mangle, dstnat, filter, security, srcnat');
    }
    return { value: Number(t.text), text: t.text };
  }
  const sign = c.peek()?.text;
  if (sign === '+' || sign === '-') {
    c.next();
    const n = c.integer('priority offset needs a number');
    return {
      value: named + (sign === '+' ? n : -n),
      text: `${t.text} ${sign} ${n}`,
    };
  }
  return { value: named, text: t.text };
}

/** One item of a chain declaration at the cursor; false when the cursor is not at one. */
export function chainSpecItem(c: Cursor, spec: ChainSpec): boolean {
  if (c.accept('type')) {
    const type = c.word('type needs a chain type', 'filter, nat or route');
    if (!['filter', 'nat', 'route'].includes(type.text)) {
      c.back();
      c.fail('unknown chain type', 'filter, nat or route');
    }
    c.expect('hook', 'a base chain needs "hook"');
    const hookWord = c.word(
      'hook needs a name',
      'prerouting, input, forward, output or postrouting',
    );
    if (c.accept('device')) c.word('device needs a name', 'an interface name');
    c.expect('priority', 'a base chain needs "priority"');
    const p = priority(c);
    const hook = NFT_HOOKS[hookWord.text];
    if (!hook) {
      if (!['ingress', 'egress'].includes(hookWord.text)) {
        c.fail('unknown hook', 'prerouting, input, forward, output or postrouting');
      }
      spec.unrunHook = hookWord.text;
      return true;
    }
    spec.base = {
      type: type.text as NftChainType,
      hook,
      priority: p.value,
      priorityText: p.text,
      policy: spec.base?.policy ?? 'accept',
      ...(spec.base?.policyGiven ? { policyGiven: true } : {}),
    };
    return true;
  }
  if (c.accept('policy')) {
    const p = c.word('policy needs a verdict', 'accept or drop');
    if (p.text !== 'accept' && p.text !== 'drop') {
      c.back();
      c.fail('unknown policy', 'accept or drop');
    }
    if (spec.base) spec.base = { ...spec.base, policy: p.text, policyGiven: true };
    else c.fail('a policy needs a base chain', '"type … hook … priority …" first');
    return true;
  }
  if (c.accept('comment')) {
    spec.comment = c.word('comment needs text', 'a string').text;
    return true;
  }
  if (c.accept('flags')) {
    c.word('flags needs a value', 'offload');
    return true;
  }
  return false;
}

/** `{ item ; item ; … }` of a chain on an `add chain` line. */
export function chainSpecBlock(c: Cursor, spec: ChainSpec): void {
  c.expect('{', 'expected "{"');
  while (!c.accept('}')) {
    if (c.accept(';')) continue;
    if (!chainSpecItem(c, spec)) c.fail('unknown chain declaration', 'type, policy or comment');
  }
}

export interface SetSpec {
  keyType?: string[];
  dataType?: string;
  flags: string[];
  timeout?: number;
  comment?: string;
  elements?: NftElement[];
}

function typeList(c: Cursor): string[] {
  const out = [c.word('type needs a datatype', 'a datatype such as ipv4_addr').text];
  while (c.accept('.')) out.push(c.word('expected the next datatype', 'a datatype').text);
  return out;
}

/** One item of a set or map declaration at the cursor; false when not at one. */
export function setSpecItem(c: Cursor, spec: SetSpec, isMap: boolean): boolean {
  if (c.accept('type')) {
    spec.keyType = typeList(c);
    if (c.accept(':'))
      spec.dataType = c.word('a map needs a data type', 'verdict or a datatype').text;
    else if (isMap) c.fail('a map needs a data type', '": verdict" or ": TYPE"');
    return true;
  }
  if (c.accept('typeof')) {
    const key = expression(c);
    spec.keyType = partTypes(key).map((t) => t ?? 'integer');
    if (c.accept(':')) {
      if (c.is('verdict')) spec.dataType = c.next()?.text;
      else spec.dataType = partTypes(expression(c))[0] ?? 'integer';
    }
    return true;
  }
  if (c.accept('flags')) {
    spec.flags.push(c.word('flags needs a value', 'constant, interval, timeout, dynamic').text);
    while (c.accept(',')) spec.flags.push(c.word('expected a flag', 'a set flag').text);
    return true;
  }
  if (c.accept('timeout')) {
    const t = c.word('timeout needs a duration', 'a duration such as 3h');
    spec.timeout = durationSeconds(t.text);
    if (spec.timeout === undefined) {
      c.back();
      c.fail('bad duration', 'a duration such as 10800s or 3h');
    }
    return true;
  }
  if (c.accept('comment')) {
    spec.comment = c.word('comment needs text', 'a string').text;
    return true;
  }
  if (c.accept('elements')) {
    c.expect('=', 'expected "="');
    spec.elements = elements(c, isMap);
    return true;
  }
  if (c.accept('size') || c.accept('gc-interval') || c.accept('policy')) {
    c.next();
    return true;
  }
  if (c.accept('counter') || c.accept('auto-merge')) return true;
  return false;
}

/** `{ item ; item ; … }` of a set on an `add set` / `add map` line. */
export function setSpecBlock(c: Cursor, spec: SetSpec, isMap: boolean): void {
  c.expect('{', 'expected "{"');
  while (!c.accept('}')) {
    if (c.accept(';')) continue;
    if (!setSpecItem(c, spec, isMap))
      c.fail('unknown set declaration', 'type, flags, timeout, elements or comment');
  }
}
