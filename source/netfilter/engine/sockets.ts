/**
 * A host's sockets, looked up as the kernel's socket demux does: an established (connected)
 * socket for the exact 4-tuple first, then a listener bound to the destination address, then a
 * wildcard listener (0.0.0.0 / ::).
 */
import type { L4Protocol, SocketView } from '../../model/index.js';

export interface SocketEntry {
  readonly id: number;
  readonly process: string;
  readonly uid: number;
  readonly gid: number;
  readonly protocol: 'tcp' | 'udp';
  readonly local: { readonly address: string; readonly port: number };
  readonly remote?: { readonly address: string; readonly port: number };
  readonly listening: boolean;
  readonly transparent: boolean;
  /** SO_MARK: packets this socket sends carry it. */
  readonly mark: number;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

export function isWildcard(address: string): boolean {
  return WILDCARDS.has(address);
}

export class SocketTable {
  private readonly sockets: SocketEntry[] = [];
  private next = 1;

  add(entry: Omit<SocketEntry, 'id'>): SocketEntry {
    const socket = { ...entry, id: this.next++ };
    this.sockets.push(socket);
    return socket;
  }

  remove(socket: SocketEntry): void {
    const i = this.sockets.indexOf(socket);
    if (i >= 0) this.sockets.splice(i, 1);
  }

  connected(protocol: L4Protocol, dst: string, dport: number, src: string, sport: number) {
    return this.sockets.find(
      (s) =>
        !s.listening &&
        s.protocol === protocol &&
        s.local.port === dport &&
        s.local.address === dst &&
        s.remote?.address === src &&
        s.remote.port === sport,
    );
  }

  listener(protocol: L4Protocol, dst: string, dport: number, nowildcard = false) {
    const bound = this.sockets.filter(
      (s) => s.listening && s.protocol === protocol && s.local.port === dport,
    );
    const exact = bound.find((s) => s.local.address === dst);
    if (exact || nowildcard) return exact;
    const v6 = dst.includes(':');
    return bound.find(
      (s) => s.local.address === (v6 ? '::' : '0.0.0.0') || s.local.address === '::',
    );
  }

  lookup(protocol: L4Protocol, dst: string, dport: number, src: string, sport: number) {
    return this.connected(protocol, dst, dport, src, sport) ?? this.listener(protocol, dst, dport);
  }

  /** Ports in use on this host, so a new ephemeral port does not clash. */
  used(port: number): boolean {
    return this.sockets.some((s) => s.local.port === port);
  }
}

export function socketView(s: SocketEntry): SocketView {
  return {
    uid: s.uid,
    gid: s.gid,
    supplementaryGids: [],
    transparent: s.transparent,
    wildcard: isWildcard(s.local.address),
  };
}
