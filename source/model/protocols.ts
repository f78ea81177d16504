/**
 * IP protocols by name and number: the one table the readers, the printers and the engine share
 * (what /etc/protocols says, restricted to the names iptables accepts). `savedAs` marks the
 * numbers iptables-save prints by name (xtables_chain_protos); `module` is the match a
 * `-p NAME` loads by itself (`-p tcp --dport 80` loads `-m tcp`).
 */
export interface IpProtocol {
  readonly name: string;
  readonly number: number;
  readonly module?: string;
  /** iptables-save writes `-p 6` as `-p tcp`. */
  readonly savedByName?: boolean;
  /** A name iptables accepts after `-p`; the others only print as their numbers. */
  readonly accepted: boolean;
}

export const IP_PROTOCOLS: readonly IpProtocol[] = [
  { name: 'all', number: 0, savedByName: true, accepted: true },
  { name: 'icmp', number: 1, module: 'icmp', savedByName: true, accepted: true },
  { name: 'igmp', number: 2, accepted: true },
  { name: 'ipip', number: 4, accepted: true },
  { name: 'tcp', number: 6, module: 'tcp', savedByName: true, accepted: true },
  { name: 'egp', number: 8, accepted: false },
  { name: 'udp', number: 17, module: 'udp', savedByName: true, accepted: true },
  { name: 'dccp', number: 33, accepted: true },
  { name: 'ipv6', number: 41, accepted: true },
  { name: 'ipv6-route', number: 43, accepted: true },
  { name: 'ipv6-frag', number: 44, accepted: true },
  { name: 'gre', number: 47, accepted: true },
  { name: 'esp', number: 50, accepted: true },
  { name: 'ah', number: 51, accepted: true },
  { name: 'ipv6-icmp', number: 58, module: 'icmp6', savedByName: true, accepted: true },
  { name: 'ipv6-nonxt', number: 59, accepted: true },
  { name: 'ipv6-opts', number: 60, accepted: true },
  { name: 'ospf', number: 89, accepted: true },
  { name: 'etherip', number: 97, accepted: true },
  { name: 'encap', number: 98, accepted: true },
  { name: 'pim', number: 103, accepted: true },
  { name: 'vrrp', number: 112, accepted: true },
  { name: 'l2tp', number: 115, accepted: true },
  { name: 'sctp', number: 132, module: 'sctp', savedByName: true, accepted: true },
  { name: 'mh', number: 135, accepted: true },
  { name: 'udplite', number: 136, accepted: true },
];

/** Other spellings of a protocol's name: `-p icmpv6` is `-p ipv6-icmp`. */
export const PROTOCOL_ALIASES: Readonly<Record<string, string>> = { icmpv6: 'ipv6-icmp' };

const BY_NAME = new Map(IP_PROTOCOLS.map((p) => [p.name, p]));
const BY_NUMBER = new Map(IP_PROTOCOLS.map((p) => [p.number, p]));

/** A protocol by its name or an alias of it. */
export function protocolByName(name: string): IpProtocol | undefined {
  return BY_NAME.get(PROTOCOL_ALIASES[name] ?? name);
}

/** A protocol by its number. */
export function protocolByNumber(number: number): IpProtocol | undefined {
  return BY_NUMBER.get(number);
}
