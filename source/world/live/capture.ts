/**
 * What `nfdb live` read from a network namespace, as the tools printed it: the io layer runs the
 * tools (source/io/live) and this layer turns their text into a World (build.ts). Kept as raw
 * text so that a capture can be parsed again, tested without a kernel, and explained.
 */
import type { Backend, Family } from '../../model/index.js';

/** `iptables-nft-save -c`, `ip6tables-legacy-save -c`, …: by family, then backend. */
export type SavedRules = Readonly<Record<Family, Readonly<Partial<Record<Backend, string>>>>>;

/** One listening socket, from `ss -tulpne` or /proc/net. */
export interface Listener {
  readonly protocol: 'tcp' | 'udp';
  /** As the kernel has it bound: `0.0.0.0`, `::`, `127.0.0.1`; `*` is IPv6 without v6only. */
  readonly address: string;
  readonly port: number;
  readonly uid: number;
  readonly pid?: number;
  /** The process's name (`envoy`, `python3`), when readable. */
  readonly process?: string;
  /** SO_MARK of the socket (`fwmark:0x539` in ss). */
  readonly mark?: number;
}

/** A process that owns a listener: its ids as /proc/PID/status says. */
export interface ProcessIds {
  readonly pid: number;
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface LiveCapture {
  /** Which namespace: `this network namespace`, `netns pod-1`, `pid 4242's network namespace`. */
  readonly where: string;
  /** A short name for the host in the world: the netns name, `pid-4242`, or `live`. */
  readonly host: string;
  readonly rules: SavedRules;
  /** `nft -j list ruleset`, when nft is there. */
  readonly nftJson?: string;
  /** `ip -j addr`. */
  readonly addresses?: string;
  /** `ip -4 -j route show table all` and `ip -6 …`. */
  readonly routes: readonly string[];
  /** `ip -4 -j rule` and `ip -6 -j rule`. */
  readonly ipRules: readonly string[];
  /** The listeners, by `ss` or from /proc/net. */
  readonly listeners: readonly Listener[];
  readonly listenersFrom: 'ss' | 'proc' | 'none';
  readonly processes: readonly ProcessIds[];
  /** net.ipv4.ip_forward. */
  readonly forwarding: boolean;
  /** Conntrack entries, when readable (conntrack -L or /proc/net/nf_conntrack). */
  readonly conntrack?: readonly string[];
  /** What could not be read, and why: one sentence each. */
  readonly missing: readonly string[];
}
