/**
 * Writes a table as `iptables -L -v -n` (v1.8.9, nf_tables) prints it: the chain headers with
 * policy counters or references, the column header, and each rule as its fixed columns followed
 * by the match and target text each module prints for itself. `exact` is `-x`.
 */

import type {
  Chain,
  Cidr,
  Counters,
  CountName,
  Family,
  Negatable,
  Rule,
  Ruleset,
  Table,
  TableName,
} from '../model/index.js';
import { protocolByName } from '../model/index.js';
import { findMatch, findTarget } from '../netfilter/registry.js';

export interface ListingOptions {
  readonly table: TableName;
  readonly exact?: boolean;
  readonly lineNumbers?: boolean;
}

export function protocolNumber(name: string): number {
  return protocolByName(name)?.number ?? (/^\d+$/.test(name) ? Number(name) : 0);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** xtables_print_num: exact, or rounded to K/M/G/T so that it fits in five columns. */
export function formatCount(n: number, exact: boolean, table = true): string {
  if (exact) return table ? `${padLeft(String(n), 8)} ` : String(n);
  if (n <= 99999) return table ? `${padLeft(String(n), 5)} ` : String(n);
  let value = n;
  for (const unit of ['K', 'M', 'G', 'T']) {
    value = Math.floor((value + 500) / 1000);
    if (value <= 9999 || unit === 'T')
      return table ? `${padLeft(String(value), 4)}${unit} ` : `${value}${unit}`;
  }
  return String(n);
}

/**
 * formatCount of one of a rule's or policy's counts, exact past 2^53. (xtables rounds in a u64,
 * whose `+ 500` wraps near 2^64 and prints `0K`; nfdb prints the rounding it means.)
 */
export function formatCounter(c: Counters, which: CountName, exact: boolean, table = true): string {
  const text = c.exact?.[which];
  if (text === undefined) return formatCount(c[which], exact, table);
  if (exact) return table ? `${padLeft(text, 8)} ` : text;
  let value = BigInt(text);
  for (const unit of ['K', 'M', 'G']) {
    value = (value + 500n) / 1000n;
    if (value <= 9999n) return table ? `${padLeft(String(value), 4)}${unit} ` : `${value}${unit}`;
  }
  value = (value + 500n) / 1000n;
  return table ? `${padLeft(String(value), 4)}T ` : `${value}T`;
}

function anyAddress(family: Family): string {
  return family === 'ipv4' ? '0.0.0.0/0' : '::/0';
}

function addressText(a: Negatable<Cidr> | undefined, family: Family): string {
  if (!a) return ` ${pad(anyAddress(family), 19)} `;
  const full = a.value.prefix === (family === 'ipv4' ? 32 : 128);
  const text = full
    ? a.value.address
    : `${a.value.address}/${a.value.prefix >= 0 ? a.value.prefix : a.value.mask}`;
  return `${a.negated ? '!' : ' '}${pad(text, 19)} `;
}

function ifaceText(i: Negatable<string> | undefined): string {
  return `${pad(i ? `${i.negated ? '!' : ''}${i.value}` : '*', 6)} `;
}

/** The text after the destination column: each match's words, then the target's. */
export function ruleExtras(rule: Rule): string {
  // iptables prints "[goto] " right after the destination column, before the matches.
  let text = rule.target?.kind === 'goto' ? '[goto] ' : '';
  for (const m of rule.matches) {
    const module = m.simulated ? findMatch(m.module) : undefined;
    const words = module ? module.list(m.data) : m.module;
    if (words) text += ` ${words}`;
  }
  const t = rule.target;
  if (t?.kind === 'extension') {
    const module = t.simulated ? findTarget(t.name) : undefined;
    const words = module ? module.list(t.data) : '';
    if (words) text += ` ${words}`;
  }
  return text;
}

export function ruleLine(
  rule: Rule,
  index: number,
  family: Family,
  options: ListingOptions,
): string {
  const exact = options.exact ?? false;
  const proto = rule.protocol;
  const fragment = rule.fragment ? (rule.fragment.negated ? '!f' : '-f') : '--';
  return [
    options.lineNumbers ? `${pad(String(index + 1), 4)} ` : '',
    formatCounter(rule.counters, 'packets', exact),
    formatCounter(rule.counters, 'bytes', exact),
    `${pad(rule.target?.name ?? '', 9)} `,
    proto?.negated ? '!' : ' ',
    pad(String(protocolNumber(proto?.value ?? 'all')), 5),
    pad(fragment, 4),
    ifaceText(rule.inInterface),
    ifaceText(rule.outInterface),
    addressText(rule.source, family),
    addressText(rule.destination, family),
    ruleExtras(rule),
  ].join('');
}

function references(table: Table, chain: string): number {
  let count = 0;
  for (const c of table.chains) {
    for (const r of c.rules) {
      if ((r.target?.kind === 'jump' || r.target?.kind === 'goto') && r.target.name === chain)
        count++;
    }
  }
  return count;
}

export function header(table: Table, chain: Chain, exact: boolean): string {
  if (!chain.builtin) return `Chain ${chain.name} (${references(table, chain.name)} references)`;
  const p = formatCounter(chain.counters, 'packets', exact, false);
  const b = formatCounter(chain.counters, 'bytes', exact, false);
  return `Chain ${chain.name} (policy ${chain.policy} ${p} packets, ${b} bytes)`;
}

export function columns(options: ListingOptions): string {
  const num = options.lineNumbers ? 'num  ' : '';
  const counts = options.exact ? '    pkts      bytes ' : ' pkts bytes ';
  return `${num}${counts}target     prot opt in     out     source               destination         `;
}

export function toListing(ruleset: Ruleset, options: ListingOptions): string {
  const table = ruleset.tables.find((t) => t.name === options.table);
  if (!table) return '';
  const blocks = table.chains.map((chain) =>
    [
      header(table, chain, options.exact ?? false),
      columns(options),
      ...chain.rules.map((rule, i) => ruleLine(rule, i, ruleset.family, options)),
    ].join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}
