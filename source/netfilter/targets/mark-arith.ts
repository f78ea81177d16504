/**
 * MARK and CONNMARK both reduce --set-mark/--and-mark/--or-mark/--xor-mark to one "zero these
 * bits, then xor this value" pair, as the kernel stores it (xt_MARK.c, libxt_MARK.c); this file
 * holds that arithmetic and its printing.
 */
import { hex, parseUint32 } from '../extension.js';
import { type Arg, val } from '../listing-phrase.js';
import type { Options, Value } from '../simple-module.js';

export interface XMark {
  readonly value: number;
  readonly mask: number;
}

export function applyXMark(x: XMark, mark: number): number {
  return ((mark & ~x.mask) ^ x.value) >>> 0;
}

function parsePair(text: string): [number, number | undefined] | undefined {
  const [v, m] = text.split('/');
  const value = parseUint32(v ?? '');
  const mask = m === undefined ? undefined : parseUint32(m);
  if (value === undefined || (m !== undefined && mask === undefined)) return undefined;
  return [value, mask];
}

const EXPECTED = 'a 32-bit value, optionally /mask';

/** Reads one of the mark-changing options into the xmark pair. */
export function xmarkOption(kind: 'set-xmark' | 'set-mark' | 'and-mark' | 'or-mark' | 'xor-mark') {
  return (values: readonly string[]): Value<XMark> | string => {
    const pair = parsePair(values[0] ?? '');
    if (!pair) return EXPECTED;
    const [v, m] = pair;
    const x: XMark =
      kind === 'set-xmark'
        ? { value: v, mask: m ?? 0xffffffff }
        : kind === 'set-mark'
          ? { value: v, mask: ((m ?? 0xffffffff) | v) >>> 0 }
          : kind === 'and-mark'
            ? { value: 0, mask: ~v >>> 0 }
            : kind === 'or-mark'
              ? { value: v, mask: v }
              : { value: v, mask: 0 };
    return { value: x, text: `${hex(x.value)}/${hex(x.mask)}` };
  };
}

export const XMARK_OPTIONS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'] as const;

/** The one xmark the options amount to (the last one given wins, as in iptables). */
export function xmarkOf(o: Options): XMark | undefined {
  for (const name of XMARK_OPTIONS) {
    const given = o[name];
    if (given) return given.value as XMark;
  }
  return undefined;
}

export function listXMark(prefix: string, x: XMark): string {
  if (x.value === 0) return `${prefix} and ${hex(~x.mask >>> 0)}`;
  if (x.value === x.mask) return `${prefix} or ${hex(x.value)}`;
  if (x.mask === 0) return `${prefix} xor ${hex(x.value)}`;
  if (x.mask === 0xffffffff) return `${prefix} set ${hex(x.value)}`;
  return `${prefix} xset ${hex(x.value)}/${hex(x.mask)}`;
}

/** `and 0xff`, `set 0x539`, `xset 0x1/0xff` as listXMark prints them, back to one option. */
export function xmarkArgs(kind: string | undefined, value: string | undefined): Arg[] {
  const v = value ?? '';
  switch (kind) {
    case 'and':
      return ['--and-mark', val(v)];
    case 'or':
      return ['--or-mark', val(v)];
    case 'xor':
      return ['--xor-mark', val(v)];
    case 'set':
      return ['--set-xmark', val(`${v}/0xffffffff`)];
    default:
      return ['--set-xmark', val(v)];
  }
}
