/**
 * `-j TPROXY`: delivers to a local (transparent) socket without rewriting the packet, and marks
 * it so policy routing sends it to lo (xt_TPROXY.c). Only in mangle PREROUTING, with -p tcp/udp.
 */
import { formatAddress, parseAddress } from '../address.js';
import type { MarkValue } from '../extension.js';
import { hex, parseWrappedPortRange } from '../extension.js';
import { phrase, val } from '../listing-phrase.js';
import { markValue } from '../matches/mark.js';
import { defineTarget, inTable, only, type ValueReader } from '../simple-module.js';

const ip: ValueReader<string> = (values, family) => {
  const address = parseAddress(values[0] ?? '');
  return address && address.family === family
    ? { value: formatAddress(address), text: formatAddress(address) }
    : `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
};

/** One port, read as libxt_TPROXY reads it (decimal, kept modulo 65536, or a service name). */
const onPort: ValueReader<[number, number]> = (values) => {
  const range = parseWrappedPortRange(values[0] ?? '');
  return range && range.from === range.to && !(values[0] ?? '').includes(':')
    ? { value: [range.from, range.to], text: String(range.from) }
    : 'a port 0-65535';
};

export const TPROXY = defineTarget({
  name: 'TPROXY',
  combine: { required: [['on-port']] },
  options: {
    'on-port': { arity: 1, read: onPort },
    'on-ip': { arity: 1, read: ip },
    'tproxy-mark': { arity: 1, read: markValue },
  },
  complete(o, family) {
    if (!o['on-port']) return 'TPROXY needs --on-port';
    const any = family === 'ipv4' ? '0.0.0.0' : '::';
    const mark = o['tproxy-mark']?.value ?? { value: 0, mask: 0 };
    return {
      'on-port': o['on-port'],
      'on-ip': o['on-ip'] ?? { value: any, text: any, negated: false },
      'tproxy-mark': { value: mark, text: `${hex(mark.value)}/${hex(mark.mask)}`, negated: false },
    };
  },
  check: (_o, where) =>
    inTable('TPROXY', 'mangle', where) ??
    only('TPROXY', ['PREROUTING'], where) ??
    ((where.protocol === 'tcp' || where.protocol === 'udp') && !where.protocolNegated
      ? undefined
      : 'TPROXY needs "-p tcp" or "-p udp"'),
  list: (o) => {
    const ipText = o['on-ip']?.text ?? '';
    return `TPROXY redirect ${ipText}:${o['on-port']?.text} mark ${o['tproxy-mark']?.text}`;
  },
  listing: [
    phrase(String.raw`TPROXY redirect +(\S+):(\d+) +mark +(\S+)`, (m) => [
      '--on-port',
      val(m[2] ?? ''),
      '--on-ip',
      val(m[1] ?? ''),
      '--tproxy-mark',
      val(m[3] ?? ''),
    ]),
  ],
  examples: ['--on-port 15006 --on-ip 0.0.0.0 --tproxy-mark 0x1/0x1'],
  act(o, packet, ctx) {
    const [port] = (o['on-port']?.value ?? []) as [number, number];
    const onIp = o['on-ip']?.value as string;
    const mark = o['tproxy-mark']?.value as MarkValue;
    const address =
      onIp === '0.0.0.0' || onIp === '::'
        ? ((packet.inInterface && ctx.primaryAddress(packet.inInterface)) ?? packet.dst)
        : onIp;
    return {
      verdict: 'ACCEPT',
      packet: { ...packet, mark: ((packet.mark & ~mark.mask) ^ mark.value) >>> 0 },
      tproxy: { address, port: port === 0 ? packet.dport : port },
    };
  },
});
