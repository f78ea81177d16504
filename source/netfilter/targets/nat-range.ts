/**
 * The address[-address][:port[-port]] ranges DNAT and SNAT take, and the port ranges REDIRECT
 * and MASQUERADE take (libxt_DNAT.c parse_to), printed as iptables-save prints them.
 */

import type { Family } from '../../model/index.js';
import { formatAddress, ipv4Text, parseAddress } from '../address.js';
import { parsePort } from '../extension.js';
import { inTable, only, type ValueReader } from '../simple-module.js';
import type { Placement } from '../vocabulary.js';

export interface NatRange {
  readonly from?: string;
  readonly to?: string;
  readonly portFrom?: number;
  readonly portTo?: number;
  /** `:FROM-TO/BASE` (NF_NAT_RANGE_PROTO_OFFSET): ports map from BASE on, not at random. */
  readonly portBase?: number;
}

/** `80`, `8000-8010`, service names (`ftp-data`: a dash may be part of a name). */
export function parsePorts(text: string): [number, number] | undefined {
  const one = parsePort(text);
  if (one !== undefined) return [one, one];
  for (let dash = text.indexOf('-'); dash >= 0; dash = text.indexOf('-', dash + 1)) {
    const from = parsePort(text.slice(0, dash));
    const to = parsePort(text.slice(dash + 1));
    if (from !== undefined && to !== undefined) return from <= to ? [from, to] : undefined;
  }
  return undefined;
}

export function formatPorts(from: number, to: number): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

export const portsReader: ValueReader<[number, number]> = (values) => {
  const ports = parsePorts(values[0] ?? '');
  return ports ? { value: ports, text: formatPorts(...ports) } : 'a port 0-65535 or FROM-TO';
};

function splitHostPort(text: string, family: Family): [string, string | undefined] {
  if (family === 'ipv6') {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    return m ? [m[1] ?? '', m[2]] : [text, undefined];
  }
  const colon = text.indexOf(':');
  return colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * natRangeReader for IPv4 `ADDRESS` or `ADDRESS:PORT` (kube-proxy's DNAT to a pod, 50,000 of
 * them in a large dump), or undefined for anything else. Hand-written hot path: no splits, and
 * text already written as iptables-save writes it is kept as its own printed form.
 */
function natRange4(value: string): ReturnType<ValueReader<NatRange>> | undefined {
  if (value.includes('-')) return undefined;
  const colon = value.indexOf(':');
  const hosts = colon < 0 ? value : value.slice(0, colon);
  const from = ipv4Text(hosts);
  if (from === undefined) return undefined;
  if (colon < 0) {
    const range: NatRange = { from, to: from };
    return { value: range, text: from === hosts ? value : formatNatRange(range, 'ipv4') };
  }
  const portText = value.slice(colon + 1);
  const port = parsePort(portText);
  if (port === undefined) return undefined;
  const range: NatRange = { from, to: from, portFrom: port, portTo: port };
  // A port written as iptables-save prints it (decimal, no leading zero) is kept as written.
  const printed = from === hosts && (portText === '0' || /^[1-9]\d*$/.test(portText));
  return { value: range, text: printed ? value : formatNatRange(range, 'ipv4') };
}

export const natRangeReader: ValueReader<NatRange> = (values, family) => {
  const fast = family === 'ipv4' ? natRange4(values[0] ?? '') : undefined;
  if (fast !== undefined) return fast;
  const expected =
    family === 'ipv4' ? 'ADDRESS[-ADDRESS][:PORT[-PORT]]' : '[ADDRESS[-ADDRESS]][:PORT[-PORT]]';
  const [hosts, portText] = splitHostPort(values[0] ?? '', family);
  const range: { -readonly [K in keyof NatRange]: NatRange[K] } = {};
  if (hosts !== '') {
    const [a, b] = hosts.split('-');
    const from = parseAddress(a ?? '');
    const to = b === undefined ? from : parseAddress(b);
    if (!from || !to || from.family !== family || to.family !== family) return expected;
    range.from = formatAddress(from);
    // One address (kube-proxy's DNAT to a pod): one string, not two equal ones per rule.
    range.to = b === undefined ? range.from : formatAddress(to);
  }
  if (portText !== undefined) {
    const slash = portText.indexOf('/');
    const ports = parsePorts(slash < 0 ? portText : portText.slice(0, slash));
    if (!ports) return expected;
    [range.portFrom, range.portTo] = ports;
    if (slash >= 0) {
      const base = parsePort(portText.slice(slash + 1));
      if (base === undefined) return `${expected} with a base port after /`;
      range.portBase = base;
    }
  }
  if (range.from === undefined && range.portFrom === undefined) return expected;
  return { value: range, text: formatNatRange(range, family) };
};

export function formatNatRange(r: NatRange, family: Family): string {
  let hosts = '';
  if (r.from !== undefined) hosts = r.from === r.to ? r.from : `${r.from}-${r.to}`;
  if (family === 'ipv6' && r.portFrom !== undefined && hosts !== '') hosts = `[${hosts}]`;
  const base = r.portBase === undefined ? '' : `/${r.portBase}`;
  const ports =
    r.portFrom === undefined ? '' : `:${formatPorts(r.portFrom, r.portTo ?? r.portFrom)}${base}`;
  return `${hosts}${ports}`;
}

export function natCheck(kind: string, hooks: readonly string[]) {
  return (_o: unknown, where: Placement) => inTable(kind, 'nat', where) ?? only(kind, hooks, where);
}
