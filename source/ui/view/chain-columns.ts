/**
 * A chain's rules in `iptables -L -v` columns, squeezed: columns no rule of the chain uses are
 * left out, so a sidecar's chains fit beside the packet panel.
 */

import type { Chain, Rule } from '../../model/index.js';
import { cidrText } from '../../netfilter/address.js';
import { formatCounter, ruleExtras } from '../../rules/listing.js';

export interface Widths {
  readonly target: number;
  /** 0 when no rule of the chain uses the column: it is left out. */
  readonly proto: number;
  readonly iface: number;
  readonly source: number;
  readonly destination: number;
}

/** A line split where the columns after the target start: what < and > scroll sideways. */
export interface PinnedLine {
  readonly pinned: string;
  readonly rest: string;
}

const widthCache = new WeakMap<Chain, Widths>();

const addressText = (a: Rule['source']) =>
  a ? `${a.negated ? '!' : ''}${cidrText(a.value)}` : '*';
const ifaceText = (i: Rule['inInterface']) => (i ? `${i.negated ? '!' : ''}${i.value}` : '*');
const protoText = (rule: Rule) =>
  rule.protocol ? `${rule.protocol.negated ? '!' : ''}${rule.protocol.value}` : 'all';

/** Measured once per chain (not per frame drawn): the widest value of each column. */
export function columnWidths(chain: Chain): Widths {
  const hit = widthCache.get(chain);
  if (hit) return hit;
  let target = 6;
  let proto = 0;
  let iface = 0;
  let source = 0;
  let destination = 0;
  for (const r of chain.rules) {
    target = Math.max(target, (r.target?.name ?? '').length);
    if (r.protocol) proto = Math.max(proto, 4, protoText(r).length);
    if (r.inInterface || r.outInterface)
      iface = Math.max(iface, 3, ifaceText(r.inInterface).length, ifaceText(r.outInterface).length);
    if (r.source) source = Math.max(source, 6, addressText(r.source).length);
    if (r.destination) destination = Math.max(destination, 11, addressText(r.destination).length);
  }
  // Not capped: a longer name (KUBE-SVC-…) would push its row out from under the column names.
  const w = { target, proto, iface, source, destination };
  widthCache.set(chain, w);
  return w;
}

const col = (text: string, width: number) => (width > 0 ? `${text.padEnd(width)} ` : '');

export function compactRow(rule: Rule, w: Widths): PinnedLine {
  const pinned = [
    formatCounter(rule.counters, 'packets', false),
    formatCounter(rule.counters, 'bytes', false),
    col(rule.target?.name ?? '', w.target),
  ].join('');
  const rest = [
    col(protoText(rule), w.proto),
    col(ifaceText(rule.inInterface), w.iface),
    col(ifaceText(rule.outInterface), w.iface),
    col(addressText(rule.source), w.source),
    col(addressText(rule.destination), w.destination),
    ruleExtras(rule).trimStart(),
  ].join('');
  return { pinned, rest };
}

/** The header line over compactRow's columns. */
export function compactColumns(w: Widths): PinnedLine {
  const pinned = ` pkts bytes ${col('target', w.target)}`;
  const rest = [
    col('prot', w.proto),
    col('in', w.iface),
    col('out', w.iface),
    col('source', w.source),
    col('destination', w.destination),
  ].join('');
  return { pinned, rest };
}
