/**
 * Connections as processes make them: a client opens one, a server answers, and envoy — the
 * proxy — never rewrites a packet: it accepts the redirected connection, reads where it was
 * going (SO_ORIGINAL_DST from conntrack, or the local address under TPROXY) and opens a NEW
 * connection there. Two connections, two conntrack entries, two passes through the nat table.
 */

import type { EngineSettings, Family, StraySegment, TrafficItem } from '../model/index.js';
import type { HostRuntime } from '../netfilter/engine/host.js';
import { ephemeralPort } from '../netfilter/engine/host.js';
import type { TraceRecorder } from '../netfilter/engine/recorder.js';
import { rejectAnswer } from '../netfilter/engine/reject.js';
import { lookupRoute } from '../netfilter/engine/routing.js';
import type { SocketEntry } from '../netfilter/engine/sockets.js';
import type { Arrival, Flight, Stack } from '../netfilter/engine/stack.js';
import { type Ends, type Segment, segmentLabel, tcpPacket, udpPacket } from './packets.js';
import {
  type Behaviour,
  FAILED,
  note,
  type Opener,
  type Outcome,
  type Request,
  serve,
} from './processes.js';
import { Rewriter } from './rewrite.js';
import { sendStray } from './stray.js';

export class Connections {
  constructor(
    private readonly hosts: ReadonlyMap<string, HostRuntime>,
    private readonly stack: Stack,
    private readonly rec: TraceRecorder,
    readonly settings: EngineSettings,
  ) {
    this.behaviour = { rec, settings, open: (opener, req) => this.open(opener, req) };
    this.rewriter = new Rewriter(this.behaviour);
  }

  /** Envoys in rewrite mode (nfdb's hypothesis) send on what they are sent. */
  private readonly rewriter: Rewriter;

  /** What a process may do from inside a connection: note, open another, see the settings. */
  private readonly behaviour: Behaviour;

  run(item: TrafficItem, index: number): void {
    const host = this.hosts.get(item.fromHost);
    const process = host?.config.processes.find((p) => p.name === item.process);
    if (!host || !process) return;
    this.open(
      { host, process, bind: item.bind, mark: 0, transparent: false },
      {
        to: item.to,
        protocol: item.protocol,
        payload: item.payload,
        traffic: index,
        chain: [],
        label: item.label,
        ...(item.stray ? { stray: item.stray } : {}),
      },
    );
  }

  private open(opener: Opener, req: Request): Outcome {
    const family: Family = req.to.address.includes(':') ? 'ipv6' : 'ipv4';
    // Without a route connect() fails; the SYN is still built so the trace shows where it ends.
    const src =
      opener.bind?.address ??
      this.sourceAddress(opener, req.to.address, family) ??
      (family === 'ipv4' ? '0.0.0.0' : '::');
    const id = this.rec.openConnection({
      label: req.label,
      protocol: req.protocol,
      fromHost: opener.host.name,
      fromProcess: opener.process.name,
      to: req.to,
      proxyBind: req.proxyBind,
      parent: req.parent,
      traffic: req.traffic,
    });
    const socket = opener.host.sockets.add({
      process: opener.process.name,
      uid: opener.process.uid,
      gid: opener.process.gid,
      protocol: req.protocol,
      local: { address: src, port: opener.bind?.port ?? ephemeralPort(opener.host) },
      remote: { address: req.to.address, port: req.to.port },
      listening: false,
      transparent: opener.transparent,
      mark: opener.mark,
    });
    try {
      return req.protocol === 'tcp'
        ? this.tcp(opener, socket, family, id, req)
        : this.udp(opener, socket, family, id, req);
    } finally {
      opener.host.sockets.remove(socket);
    }
  }

  private sourceAddress(opener: Opener, dst: string, family: Family): string | undefined {
    const table = opener.host.routing.get(family);
    const route = table && lookupRoute(table, { dst, mark: opener.mark }).route;
    if (!route) return undefined;
    // A local route's preferred source (127.0.0.1 for the rest of 127.0.0.0/8), else the
    // destination itself (ip_route_output_key_hash_rcu; IPv6 prefers the same address).
    if (route.type === 'local') return route.src ?? dst;
    return (
      route.src ??
      opener.host.addresses.find((a) => a.iface === route.dev && a.family === family)?.address
    );
  }

  /** Sends one packet from a socket and reports where it ended. */
  private emit(
    host: HostRuntime,
    socket: SocketEntry | undefined,
    conn: number,
    packet: ReturnType<typeof tcpPacket>,
    label: string,
    dir: 'original' | 'reply',
  ): Arrival {
    return this.emitFlight(host, { packet, untracked: false, zone: 0, socket }, conn, label, dir);
  }

  /**
   * Sends a prepared packet in flight (REJECT's answer carries its conntrack entry), and on
   * through every envoy in rewrite mode it reaches.
   */
  private emitFlight(
    host: HostRuntime,
    flight: Flight,
    conn: number,
    label: string,
    dir: 'original' | 'reply',
  ): Arrival {
    const sent = this.sendOnce(host, flight, conn, label, dir);
    return this.rewriter.follow(sent, conn, label, (h, f, l) => this.sendOnce(h, f, conn, l, dir));
  }

  /** One packet from `host` to where the stack delivers or ends it: a packet of the trace. */
  private sendOnce(
    host: HostRuntime,
    flight: Flight,
    conn: number,
    label: string,
    dir: 'original' | 'reply',
  ): Arrival {
    const { packet, socket } = flight;
    const sender = socket && { process: socket.process, uid: socket.uid, gid: socket.gid };
    this.rec.beginPacket(conn, label, dir, sender);
    this.rec.atHost(host.name);
    this.rec.add(
      socket ? { kind: 'emit', sender: socket.process, label } : { kind: 'emit', label },
      { packet, conntrack: undefined },
    );
    const arrival = this.stack.send(host, flight);
    this.rec.endPacket(arrival.kind === 'delivered' ? 'delivered' : arrival.kind);
    return arrival;
  }

  private tcp(
    opener: Opener,
    sock: SocketEntry,
    family: Family,
    conn: number,
    req: Request,
  ): Outcome {
    const out = endsOf(sock, req);
    const send = (segment: Segment, payload = 0) =>
      this.emit(
        opener.host,
        sock,
        conn,
        tcpPacket(family, out, segment, payload, opener.mark),
        segmentLabel(segment, payload),
        'original',
      );
    const syn = send('SYN');
    if (syn.kind !== 'delivered') return this.failed(syn, family, conn);
    const listener = syn.socket;
    const server = syn.host;
    const arrived = syn.flight.packet;
    const accepted = server.sockets.add({
      ...listener,
      listening: false,
      local: { address: arrived.dst, port: arrived.dport },
      remote: { address: arrived.src, port: arrived.sport },
    });
    const back: Ends = {
      src: arrived.dst,
      sport: arrived.dport,
      dst: arrived.src,
      dport: arrived.sport,
    };
    const reply = (segment: Segment, payload = 0) =>
      this.emit(
        server,
        accepted,
        conn,
        tcpPacket(family, back, segment, payload, accepted.mark),
        segmentLabel(segment, payload),
        'reply',
      );
    const arrivedAt = (a: Arrival, label: string) => {
      const got = a.kind === 'delivered' && a.socket.id === sock.id;
      if (!got) this.rewriter.replyLost(conn, label);
      return got;
    };
    const serverGot = (a: Arrival) => a.kind === 'delivered' && a.socket.id === accepted.id;
    try {
      if (!arrivedAt(reply('SYN-ACK'), 'SYN-ACK')) return FAILED;
      if (!serverGot(send('ACK'))) return FAILED;
      const request = send('DATA', req.payload);
      if (!serverGot(request) || request.kind !== 'delivered') return FAILED;
      const answer = serve(this.behaviour, server, listener, syn, req, request.flight);
      let result: Outcome = answer;
      if (answer.ok) {
        const label = segmentLabel('DATA', answer.response);
        if (!arrivedAt(reply('DATA', answer.response), label)) result = FAILED;
      }
      const ends = { family, out, opener, conn, client: sock, accepted, reply };
      // A reset connection sends nothing more: no FIN.
      if (req.stray && result.ok && this.stray(req.stray, req.payload, ends) === 'reset')
        return result;
      send('FIN');
      reply('FIN-ACK');
      send('ACK');
      return result;
    } finally {
      server.sockets.remove(accepted);
    }
  }

  /** The traffic item's stray segment on the open connection (stray.ts). */
  private stray(
    stray: StraySegment,
    payload: number,
    c: {
      family: Family;
      out: Ends;
      opener: Opener;
      conn: number;
      client: SocketEntry;
      accepted: SocketEntry;
      reply: (segment: Segment) => Arrival;
    },
  ): 'reset' | 'open' {
    const { opener, conn, client } = c;
    return sendStray(stray, {
      ...c,
      mark: opener.mark,
      payload,
      send: (packet, label) => this.emit(opener.host, client, conn, packet, label, 'original'),
      answer: (from, flight, label) => this.emitFlight(from.host, flight, conn, label, 'reply'),
      reset: (rst) => {
        const p = rst.flight.packet;
        const from = `${p.src}:${p.sport}`;
        const event = { kind: 'reset', process: client.process, uid: client.uid, from } as const;
        note(this.behaviour, event, rst.flight);
      },
    });
  }

  private failed(a: Arrival, family: Family, conn: number): Outcome {
    if (a.kind === 'delivered') return FAILED;
    if (a.kind === 'rejected' && a.answer) {
      this.emitFlight(a.host, a.answer, conn, answerLabel(a.answer), 'reply');
      return FAILED;
    }
    if (a.kind === 'refused' && a.flight.packet.protocol === 'udp') {
      // icmp_send from the UDP stack: not attached to the entry; conntrack finds it RELATED.
      const icmp = rejectAnswer(
        { ...a.flight, ct: undefined },
        family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable',
      );
      this.emitFlight(a.host, icmp, conn, answerLabel(icmp), 'reply');
    }
    if (a.kind === 'refused' && a.flight.packet.protocol === 'tcp') {
      // tcp_v4_send_reset: a new packet, not attached; conntrack finds the entry as a reply.
      const rst = rejectAnswer({ ...a.flight, ct: undefined }, 'tcp-reset');
      this.emitFlight(a.host, rst, conn, answerLabel(rst), 'reply');
    }
    return FAILED;
  }

  private udp(
    opener: Opener,
    sock: SocketEntry,
    family: Family,
    conn: number,
    req: Request,
  ): Outcome {
    const out = endsOf(sock, req);
    const label = `UDP ${req.payload}B`;
    const sent = this.emit(
      opener.host,
      sock,
      conn,
      udpPacket(family, out, req.payload, opener.mark),
      label,
      'original',
    );
    if (sent.kind !== 'delivered') return this.failed(sent, family, conn);
    const answer = serve(this.behaviour, sent.host, sent.socket, sent, req, sent.flight);
    if (!answer.ok) return answer;
    const p = sent.flight.packet;
    const back: Ends = { src: p.dst, sport: p.dport, dst: p.src, dport: p.sport };
    const got = this.emit(
      sent.host,
      sent.socket,
      conn,
      udpPacket(family, back, answer.response, sent.socket.mark),
      `UDP ${answer.response}B`,
      'reply',
    );
    if (got.kind === 'delivered' && got.socket.id === sock.id) return answer;
    this.rewriter.replyLost(conn, `UDP ${answer.response}B`);
    return FAILED;
  }
}

function answerLabel(f: Flight): string {
  const p = f.packet;
  if (p.tcpFlags?.rst) return p.tcpFlags.ack ? 'RST,ACK' : 'RST';
  return `ICMP ${p.icmpType}/${p.icmpCode}`;
}

/** The 4-tuple a client socket sends with. */
function endsOf(sock: SocketEntry, req: Request): Ends {
  return {
    src: sock.local.address,
    sport: sock.local.port,
    dst: req.to.address,
    dport: req.to.port,
  };
}
