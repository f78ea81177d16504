/**
 * The World the engine simulates: hosts (network namespaces, in kernel terms) with their
 * interfaces, routes, ip rules, rulesets and processes, joined by links; and the Traffic to run.
 * A Scenario file (JSON, schema in scenario-schema.ts) is read into these types by source/io.
 */
import type { NftRuleset } from './nft.js';
import type { Family, Ruleset } from './ruleset.js';

export interface InterfaceConfig {
  readonly name: string;
  /** Addresses with prefix, primary first: "10.0.0.2/24". */
  readonly addresses: readonly string[];
  /** Name of the link (shared segment) this interface is plugged into; none for lo. */
  readonly link?: string;
}

export interface RouteConfig {
  /** "default", "10.0.0.0/24", "0.0.0.0/0". */
  readonly destination: string;
  readonly via?: string;
  readonly dev: string;
  /** "local" for `ip route add local default dev lo table 133`. */
  readonly type?: 'unicast' | 'local' | 'blackhole' | 'unreachable';
  /** Routing table id: 254 main (default), 255 local, or a number. */
  readonly table?: number;
  readonly src?: string;
}

export interface IpRuleConfig {
  readonly priority: number;
  /** `fwmark 0x539` or `fwmark 0x539/0xffffffff`. */
  readonly fwmark?: string;
  readonly from?: string;
  readonly to?: string;
  readonly table: number;
}

/**
 * What a proxy does with a redirected packet. `terminate` is what envoy does: it accepts the
 * connection and opens a new one. `rewrite` is nfdb's hypothesis, for the what-if question "does
 * envoy open a new connection or rewrite the packet?": no real proxy does it, and nothing checks
 * it against the kernel. The proxy writes each packet back to its original destination, source
 * unchanged, and sends it again as its own.
 */
export type ProxyMode = 'terminate' | 'rewrite';

export const PROXY_MODES: readonly ProxyMode[] = ['terminate', 'rewrite'];

/**
 * Process kinds. `server` answers; `client` opens connections (traffic items name it);
 * `envoy` is the sidecar proxy (inbound listener, outbound listener); `dns-proxy` answers UDP.
 */
export type ProcessConfig =
  | {
      readonly kind: 'server';
      readonly name: string;
      readonly uid: number;
      readonly gid: number;
      readonly listen: readonly { address: string; port: number; protocol: 'tcp' | 'udp' }[];
      /** Bytes the server answers with; `echo`: as many as each request carried. */
      readonly response?: AnswerSize;
    }
  | {
      readonly kind: 'client';
      readonly name: string;
      readonly uid: number;
      readonly gid: number;
    }
  | {
      readonly kind: 'envoy';
      readonly name: string;
      readonly uid: number;
      readonly gid: number;
      readonly inboundPort: number;
      readonly outboundPort: number;
      /** Source address of inbound upstream connections (istio's InboundPassthroughClusterIpv4). */
      readonly inboundBind: string;
      /** The same for IPv6 connections (istio's InboundPassthroughClusterIpv6, ::6 on lo). */
      readonly inboundBind6?: string;
      /**
       * TPROXY mode: read the local address instead of SO_ORIGINAL_DST, and mark upstream with
       * `mark`; without one, a transparent proxy that marks nothing.
       */
      readonly tproxy?: { readonly mark?: number };
      /**
       * SO_MARK on every connection it opens, apart from TPROXY transparency: ztunnel marks its
       * sockets 0x539 so that the in-pod rules let them through. It wins over the TPROXY mark.
       */
      readonly mark?: number;
      readonly extraListen?: readonly { address: string; port: number; protocol: 'tcp' | 'udp' }[];
      /** What envoy does with what it is sent; absent means `terminate`, as envoy does. */
      readonly mode?: ProxyMode;
      /**
       * How many connections it accepts on its inbound and outbound listeners in all; each one
       * after that it closes at once, opening nothing (a bound on a loop that changes its
       * destination, or a proxy's connection limit). Absent: no limit.
       */
      readonly maxConnections?: number;
    }
  | {
      readonly kind: 'dns-proxy';
      readonly name: string;
      readonly uid: number;
      readonly gid: number;
      readonly port: number;
      readonly address: string;
      /** Bytes of each DNS answer; `echo`: as many as the query. */
      readonly response?: AnswerSize;
    };

/** A process's answer: a fixed size in bytes, or `echo`, the size of the request it answers. */
export type AnswerSize = number | 'echo';

/**
 * The ipset types nfdb simulates: `hash:` sets whose dimensions are an address (`ip`), a
 * prefix (`net`) or a protocol and port (`port`), in the order the type's name gives them.
 */
export const IPSET_TYPES = [
  'hash:ip',
  'hash:net',
  'hash:ip,port',
  'hash:net,port',
  'hash:ip,port,ip',
  'hash:ip,port,net',
  'hash:net,net',
  'hash:net,port,net',
] as const;

export type IpSetType = (typeof IPSET_TYPES)[number];

/** An ipset of a host (`ipset create NAME TYPE family inet`, then `ipset add NAME MEMBER`). */
export interface IpSetConfig {
  readonly name: string;
  readonly type: IpSetType;
  readonly family: Family;
  /**
   * Entries as `ipset add` takes them and `ipset list` prints them: `10.0.0.5`,
   * `10.0.0.0/24 nomatch`, `10.0.0.5,tcp:80`, `10.0.0.5,udp:53,10.1.0.0/16`.
   */
  readonly members: readonly string[];
}

export interface HostConfig {
  readonly name: string;
  readonly interfaces: readonly InterfaceConfig[];
  readonly routes: readonly RouteConfig[];
  readonly ipRules: readonly IpRuleConfig[];
  /** IPv4 and, if given, IPv6 rulesets. */
  readonly rulesets: readonly Ruleset[];
  readonly processes: readonly ProcessConfig[];
  /** Forwarding between interfaces (net.ipv4.ip_forward). */
  readonly forwarding: boolean;
  /** The host's ipsets, which `-m set` looks up by name; none when absent. */
  readonly ipsets?: readonly IpSetConfig[];
  /** The host's nftables tables, run beside its iptables rulesets on the same hooks. */
  readonly nft?: NftRuleset;
  /**
   * iptables' tables were loaded after the nft tables (default: before). Of hooks of equal
   * priority the later registered runs first, and a nat chain that binds the NAT ends the
   * others': on a mixed host the order decides which front end's rules a connection meets.
   */
  readonly iptablesLoadedLast?: boolean;
  /** The host's conntrack sysctls that decide which TCP segments are INVALID. */
  readonly conntrack?: ConntrackSysctls;
}

/** net.netfilter.* of a network namespace; absent ones are the kernel's defaults. */
export interface ConntrackSysctls {
  /** nf_conntrack_tcp_loose (default 1): pick up a connection from a mid-stream ACK. */
  readonly tcpLoose?: boolean;
  /** nf_conntrack_tcp_be_liberal (default 0): no segment is INVALID for its window. */
  readonly tcpBeLiberal?: boolean;
}

/**
 * A segment the client sends on its open connection after the answer, outside the window:
 * `out-of-window`, data beyond the receiver's window (a segment reordered or mangled on the
 * way); `unseen-ack`, it acknowledges data never sent; `old-retransmission`, data already
 * acknowledged, sent again.
 */
export type StraySegment = 'out-of-window' | 'unseen-ack' | 'old-retransmission';

export const STRAY_SEGMENTS: readonly StraySegment[] = [
  'out-of-window',
  'unseen-ack',
  'old-retransmission',
];

export interface TrafficItem {
  readonly label?: string;
  readonly fromHost: string;
  /** The process that opens the connection (its uid and gid are the socket's). */
  readonly process: string;
  readonly to: { readonly address: string; readonly port: number };
  readonly protocol: 'tcp' | 'udp';
  /** Request payload in bytes; the server's response size is the server's setting. */
  readonly payload: number;
  /** Bind the client socket to this source address/port. */
  readonly bind?: { readonly address?: string; readonly port?: number };
  /** TCP: a stray segment the client sends after the answer, before it closes. */
  readonly stray?: StraySegment;
}

export interface EngineSettings {
  /** Seed for `-m statistic --mode random`. */
  readonly seed: number;
  /** What to do at a rule whose module nfdb does not simulate: stop, or take it as match/no-match. */
  readonly unknownMatch: 'stop' | 'match' | 'no-match';
  /** How many times a proxy may re-open the same original destination before it is a loop. */
  readonly loopLimit: number;
}

export interface World {
  readonly name: string;
  readonly hosts: readonly HostConfig[];
  readonly settings: EngineSettings;
}

export interface Scenario {
  readonly world: World;
  readonly traffic: readonly TrafficItem[];
}

/** Bytes a server answers with when the scenario does not say (the kernel harness uses these too). */
export const DEFAULT_RESPONSE = 100;
export const DEFAULT_DNS_RESPONSE = 64;
