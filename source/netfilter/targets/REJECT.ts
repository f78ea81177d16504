/** `-j REJECT`: drops and answers with an ICMP error or a TCP RST (ipt_REJECT.c). */
import { phrase, val } from '../listing-phrase.js';
import { defineTarget, only, type ValueReader } from '../simple-module.js';

const V4: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited',
  'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};
const V6: Readonly<Record<string, string>> = {
  'icmp6-no-route': 'icmp6-no-route',
  'no-route': 'icmp6-no-route',
  'icmp6-adm-prohibited': 'icmp6-adm-prohibited',
  'adm-prohibited': 'icmp6-adm-prohibited',
  'icmp6-addr-unreachable': 'icmp6-addr-unreachable',
  'addr-unreach': 'icmp6-addr-unreachable',
  'icmp6-port-unreachable': 'icmp6-port-unreachable',
  'port-unreach': 'icmp6-port-unreachable',
  'icmp6-policy-fail': 'icmp6-policy-fail',
  'icmp6-reject-route': 'icmp6-reject-route',
  'tcp-reset': 'tcp-reset',
};

const withReader: ValueReader<string> = (values, family) => {
  const names = family === 'ipv4' ? V4 : V6;
  const name = names[(values[0] ?? '').toLowerCase()];
  return name ? { value: name, text: name } : `one of ${Object.keys(names).join(', ')}`;
};

export const REJECT = defineTarget({
  name: 'REJECT',
  options: { 'reject-with': { arity: 1, read: withReader } },
  complete(o, family) {
    if (o['reject-with']) return o;
    const name = family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable';
    return { 'reject-with': { value: name, text: name, negated: false } };
  },
  check(o, where) {
    if (
      o['reject-with']?.value === 'tcp-reset' &&
      (where.protocol !== 'tcp' || where.protocolNegated)
    ) {
      return '--reject-with tcp-reset needs "-p tcp"';
    }
    return only('REJECT', ['INPUT', 'FORWARD', 'OUTPUT'], where);
  },
  list: (o) => `reject-with ${o['reject-with']?.text}`,
  listing: [phrase(String.raw`reject-with +(\S+)`, (m) => ['--reject-with', val(m[1] ?? '')])],
  examples: ['--reject-with icmp-port-unreachable', '--reject-with tcp-reset'],
  act: (o) => ({ verdict: 'DROP', reject: { with: o['reject-with']?.value as string } }),
});
