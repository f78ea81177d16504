/**
 * One packet's way through the hosts' IP stacks (ip_output/ip_rcv in spirit): routing before
 * OUTPUT and again after it when the packet changed, the wire or the loopback turn-around,
 * PREROUTING, the input or forward routing decision, and delivery to a socket. The hooks
 * themselves run in hooks.ts; every decision becomes a Step.
 */

import type { EngineSettings, Packet } from '../../model/index.js';
import { type Arrival, type Flight, StepWriter } from './flight.js';
import { Hooks } from './hooks.js';
import type { HostRuntime } from './host.js';
import type { TraceRecorder } from './recorder.js';
import { isLoopback, lookupRoute } from './routing.js';

export type { Arrival, Flight } from './flight.js';

export class Stack {
  private readonly out: StepWriter;
  private readonly hooks: Hooks;

  constructor(
    private readonly hosts: ReadonlyMap<string, HostRuntime>,
    private readonly rec: TraceRecorder,
    settings: EngineSettings,
  ) {
    this.out = new StepWriter(rec);
    this.hooks = new Hooks(rec, settings, this.out);
  }

  /** A locally generated packet: route, OUTPUT, reroute, POSTROUTING, then out. */
  send(host: HostRuntime, flight: Flight): Arrival {
    this.rec.atHost(host.name);
    const first = this.route(host, flight, 'output');
    if (!first) return this.out.fate(host, flight, 'lost', { kind: 'no-route', after: 'none' });
    const out = this.hooks.run(host, 'OUTPUT', flight);
    if (out) return out;
    if (this.needsReroute(first.dst, first.mark, flight.packet)) {
      const again = this.route(host, flight, 'reroute');
      if (!again) return this.out.fate(host, flight, 'lost', { kind: 'no-route', after: 'OUTPUT' });
    }
    const post = this.hooks.run(host, 'POSTROUTING', flight);
    if (post) return post;
    return this.transmit(host, flight);
  }

  private needsReroute(dst: string, mark: number, p: Packet): boolean {
    return p.dst !== dst || p.mark !== mark;
  }

  private route(host: HostRuntime, flight: Flight, why: 'output' | 'reroute') {
    const p = flight.packet;
    const table = host.routing.get(p.family);
    const answer = table && lookupRoute(table, { dst: p.dst, src: p.src, mark: p.mark });
    const route = answer?.route;
    if (!route || route.type === 'unreachable' || route.type === 'blackhole') {
      const rule = answer?.rule;
      this.out.step(host, flight, {
        kind: 'routing',
        event: rule === undefined ? { kind: 'no-route' } : { kind: 'no-route', rule },
      });
      return undefined;
    }
    const before = p;
    flight.packet = { ...p, outInterface: route.dev };
    this.out.step(
      host,
      flight,
      { kind: 'routing', event: { kind: why, route: route.text, rule: answer.rule } },
      before,
    );
    return { dst: p.dst, mark: p.mark };
  }

  private transmit(host: HostRuntime, flight: Flight): Arrival {
    const p = flight.packet;
    const dev = p.outInterface ?? 'lo';
    if (dev === 'lo') {
      this.out.step(host, flight, { kind: 'wire', via: 'lo' });
      return this.receive(host, 'lo', flight);
    }
    const route = host.routing.get(p.family);
    const answer = route && lookupRoute(route, { dst: p.dst, src: p.src, mark: p.mark });
    const nextHop = answer?.route?.via ?? p.dst;
    const link = host.config.interfaces.find((i) => i.name === dev)?.link;
    const peer = link === undefined ? undefined : this.peerOn(link, host, nextHop);
    if (!peer) return this.out.fate(host, flight, 'lost', { kind: 'no-neighbour', dev, nextHop });
    this.out.step(host, flight, {
      kind: 'wire',
      via: 'wire',
      link: { dev, toHost: peer.host.name, toIface: peer.iface, nextHop },
    });
    // Crossing into another network namespace scrubs the skb: no mark, no conntrack.
    const arriving: Flight = { packet: { ...p, mark: 0 }, untracked: false, zone: 0 };
    if (flight.forwardedBy) arriving.forwardedBy = flight.forwardedBy;
    this.rec.atHost(peer.host.name);
    return this.receive(peer.host, peer.iface, arriving);
  }

  private peerOn(link: string, from: HostRuntime, address: string) {
    for (const host of this.hosts.values()) {
      if (host === from) continue;
      const iface = host.config.interfaces.find(
        (i) => i.link === link && i.addresses.some((a) => a.split('/')[0] === address),
      );
      if (iface) return { host, iface: iface.name };
    }
    return undefined;
  }

  /** A packet comes in on an interface: PREROUTING, routing, INPUT or FORWARD, a socket. */
  private receive(host: HostRuntime, iface: string, flight: Flight): Arrival {
    flight.packet = { ...flight.packet, inInterface: iface, outInterface: undefined };
    const pre = this.hooks.run(host, 'PREROUTING', flight);
    if (pre) return pre;
    const p = flight.packet;
    // A loopback destination that came in on another interface: IPv4 calls it martian after
    // PREROUTING (ip_route_input_slow, no route_localnet), IPv6 finds no route for ::1 there.
    if (iface !== 'lo' && isLoopback(p.dst))
      return this.out.fate(host, flight, 'dropped', { kind: 'martian', dst: p.dst, iface });
    const table = host.routing.get(p.family);
    const answer = table && lookupRoute(table, { dst: p.dst, src: p.src, mark: p.mark });
    const route = answer?.route;
    if (route?.type === 'local') {
      this.out.step(host, flight, {
        kind: 'routing',
        event: { kind: 'local', route: route.text, rule: answer?.rule ?? '' },
      });
      const input = this.hooks.run(host, 'INPUT', flight);
      if (input) return input;
      return this.deliver(host, flight);
    }
    if (!route || !host.config.forwarding)
      return this.out.fate(host, flight, 'dropped', { kind: 'not-forwarding', dst: p.dst });
    this.out.step(host, flight, { kind: 'routing', event: { kind: 'forward', route: route.text } });
    const hops = [...(flight.forwardedBy ?? []), host.name];
    // ip_forward: a packet with no hop left is dropped (ICMP time exceeded) before FORWARD;
    // hosts whose routes point at each other pass a packet back and forth until then.
    if (p.ttl <= 1) return this.timeExceeded(host, flight, hops);
    flight.forwardedBy = hops;
    flight.packet = { ...flight.packet, outInterface: route.dev, ttl: p.ttl - 1 };
    const fwd = this.hooks.run(host, 'FORWARD', flight);
    if (fwd) return fwd;
    const post = this.hooks.run(host, 'POSTROUTING', flight);
    if (post) return post;
    return this.transmit(host, flight);
  }

  private timeExceeded(host: HostRuntime, flight: Flight, hops: readonly string[]): Arrival {
    const arrival = this.out.fate(host, flight, 'dropped', { kind: 'ttl-exceeded', hops });
    this.rec.find({
      kind: 'forward-loop',
      host: host.name,
      hops: forwardCycle(hops),
      forwards: hops.length - 1,
      steps: [this.rec.lastStep],
    });
    return arrival;
  }

  private deliver(host: HostRuntime, flight: Flight): Arrival {
    const p = flight.packet;
    const proto = p.protocol === 'udp' ? 'udp' : 'tcp';
    const q = p.embedded;
    // An ICMP error goes to the socket of the packet it quotes.
    const socket = q
      ? host.sockets.connected(q.protocol, q.src, q.sport, q.dst, q.dport)
      : (flight.assigned ?? host.sockets.lookup(proto, p.dst, p.dport, p.src, p.sport));
    if (!socket && q) {
      // icmp_unreach hands the error to the quoted packet's socket; with none, it is ignored
      // (an ICMP error never gets an answer).
      return this.out.fate(host, flight, 'dropped', { kind: 'icmp-no-socket', quoted: q });
    }
    if (socket?.listening && !flight.assigned && !opensConnection(p)) {
      // tcp_rcv_state_process in LISTEN: a segment with ACK set gets a RST; one without is
      // discarded, and nfdb never sends one without a flag that makes it a RST.
      const reason = { kind: 'no-connection', dst: p.dst, dport: p.dport, process: socket.process };
      return this.out.fate(host, flight, 'refused', { ...reason, kind: 'no-connection' });
    }
    if (!socket) {
      const reason = {
        kind: 'nothing-listens',
        dst: p.dst,
        dport: p.dport,
        protocol: proto,
      } as const;
      return this.out.fate(host, flight, 'refused', reason);
    }
    this.out.step(host, flight, {
      kind: 'socket',
      process: socket.process,
      uid: socket.uid,
      local: { address: socket.local.address, port: socket.local.port },
      listening: socket.listening,
    });
    return { kind: 'delivered', host, socket, flight };
  }
}

/** A TCP SYN (or any other protocol's packet): what a listener takes. */
function opensConnection(p: Packet): boolean {
  const f = p.tcpFlags;
  return p.protocol !== 'tcp' || f === undefined || (f.syn && !f.ack);
}

/** The hosts a forwarding loop goes round, each once, from the first to come back: `a, b`. */
export function forwardCycle(hops: readonly string[]): string[] {
  for (let i = 0; i < hops.length; i++) {
    const again = hops.indexOf(hops[i] as string, i + 1);
    if (again >= 0) return hops.slice(i, again);
  }
  return [...hops];
}
