/**
 * `-j CONNMARK`: sets the connection's mark, or copies between it and the packet's mark
 * (--save-mark: packet → connection; --restore-mark: connection → packet), masked (xt_connmark.c).
 */
import { hex, parseUint32 } from '../extension.js';
import { opt, phrase } from '../listing-phrase.js';
import { defineTarget, type Options, type ValueReader } from '../simple-module.js';
import { applyXMark, listXMark, xmarkArgs, xmarkOf, xmarkOption } from './mark-arith.js';

const mask: ValueReader<number> = (values) => {
  const value = parseUint32(values[0] ?? '');
  return value === undefined ? 'a 32-bit mask' : { value, text: hex(value) };
};

const flag = { value: true, text: '', negated: false };

function complete(o: Options): Options | string {
  const x = xmarkOf(o);
  if (x)
    return { 'set-xmark': { value: x, text: `${hex(x.value)}/${hex(x.mask)}`, negated: false } };
  const mode = o['save-mark'] ? 'save-mark' : o['restore-mark'] ? 'restore-mark' : undefined;
  if (!mode) return 'CONNMARK needs --set-mark, --save-mark or --restore-mark';
  const both = (o.mask?.value as number | undefined) ?? 0xffffffff;
  const nf = (o.nfmask?.value as number | undefined) ?? both;
  const ct = (o.ctmask?.value as number | undefined) ?? both;
  return {
    [mode]: flag,
    nfmask: { value: nf, text: hex(nf), negated: false },
    ctmask: { value: ct, text: hex(ct), negated: false },
  };
}

/** libxt_CONNMARK: `save nfmask N ctmask ~C`, but `restore ctmask C ~nfmask N`. */
function listMasks(o: Options): string {
  const nf = o.nfmask?.value as number;
  const ct = o.ctmask?.value as number;
  if (nf === ct && nf === 0xffffffff) return '';
  if (nf === ct) return ` mask ${hex(nf)}`;
  return o['save-mark']
    ? ` nfmask ${hex(nf)} ctmask ~${hex(ct)}`
    : ` ctmask ${hex(ct)} ~nfmask ${hex(nf)}`;
}

export const CONNMARK = defineTarget({
  name: 'CONNMARK',
  combine: {
    required: [
      ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark', 'save-mark', 'restore-mark'],
    ],
    conflicts: [
      ['set-xmark', 'set-mark'],
      ['set-xmark', 'and-mark'],
      ['set-xmark', 'or-mark'],
      ['set-xmark', 'xor-mark'],
      ['set-xmark', 'save-mark'],
      ['set-xmark', 'restore-mark'],
      ['set-mark', 'and-mark'],
      ['set-mark', 'or-mark'],
      ['set-mark', 'xor-mark'],
      ['set-mark', 'save-mark'],
      ['set-mark', 'restore-mark'],
      ['and-mark', 'or-mark'],
      ['and-mark', 'xor-mark'],
      ['and-mark', 'save-mark'],
      ['and-mark', 'restore-mark'],
      ['or-mark', 'xor-mark'],
      ['or-mark', 'save-mark'],
      ['or-mark', 'restore-mark'],
      ['xor-mark', 'save-mark'],
      ['xor-mark', 'restore-mark'],
      ['save-mark', 'restore-mark'],
    ],
  },
  options: {
    'set-xmark': { arity: 1, read: xmarkOption('set-xmark') },
    'set-mark': { arity: 1, read: xmarkOption('set-mark') },
    'and-mark': { arity: 1, read: xmarkOption('and-mark') },
    'or-mark': { arity: 1, read: xmarkOption('or-mark') },
    'xor-mark': { arity: 1, read: xmarkOption('xor-mark') },
    'save-mark': { arity: 0 },
    'restore-mark': { arity: 0 },
    nfmask: { arity: 1, read: mask },
    ctmask: { arity: 1, read: mask },
    mask: { arity: 1, read: mask },
  },
  complete,
  list(o) {
    const x = xmarkOf(o);
    if (x) return listXMark('CONNMARK', x);
    return `CONNMARK ${o['save-mark'] ? 'save' : 'restore'}${listMasks(o)}`;
  },
  listing: [
    phrase(String.raw`CONNMARK +(and|or|xor|set|xset) +(\S+)`, (m) => xmarkArgs(m[1], m[2])),
    // libxt_CONNMARK: `save nfmask N ctmask ~C`, `restore ctmask C ~nfmask N` (`~` is text).
    phrase(
      String.raw`CONNMARK +(save|restore)(?: +mask +(\S+)| +nfmask +(\S+) +ctmask +~(\S+)| +ctmask +(\S+) +~nfmask +(\S+))?`,
      (m) => [
        m[1] === 'save' ? '--save-mark' : '--restore-mark',
        ...opt('--mask', m[2]),
        ...opt('--nfmask', m[3] ?? m[6]),
        ...opt('--ctmask', m[4] ?? m[5]),
      ],
    ),
  ],
  examples: ['--set-xmark 0x1/0xffffffff', '--save-mark --nfmask 0xffffffff --ctmask 0xffffffff'],
  act(o, packet, ctx) {
    const ctMark = ctx.conntrack?.mark ?? 0;
    if (!ctx.conntrack)
      return { verdict: 'CONTINUE', note: 'no conntrack entry: CONNMARK does nothing' };
    const x = xmarkOf(o);
    if (x) return { verdict: 'CONTINUE', conntrack: { mark: applyXMark(x, ctMark) } };
    const nf = o.nfmask?.value as number;
    const ct = o.ctmask?.value as number;
    if (o['save-mark']) {
      const mark = ((ctMark & ~ct) ^ (packet.mark & nf)) >>> 0;
      return {
        verdict: 'CONTINUE',
        conntrack: { mark },
        note: `connection mark ← 0x${mark.toString(16)}`,
      };
    }
    const mark = ((packet.mark & ~nf) ^ (ctMark & ct)) >>> 0;
    return {
      verdict: 'CONTINUE',
      packet: { ...packet, mark },
      note: `packet mark ← 0x${mark.toString(16)}`,
    };
  },
});
