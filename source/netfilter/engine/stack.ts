/**
 * One packet's way through the hosts' IP stacks and netfilter hooks (ip_output/ip_rcv in
 * spirit): routing, the hooks with their tables in priority order, conntrack and NAT, the wire
 * or the loopback turn-around, and delivery to a socket. Every decision becomes a Step.
 */
import type { TraceRecorder } from '../../trace/recorder.js';
import type { Frame } from '../../trace/types.js';
import type { EngineSettings } from '../../world/types.js';
import type { AddressType, Hook, Packet } from '../vocabulary.js';
import { HOOK_ORDER } from '../vocabulary.js';
import { NO_CHANGES, packetChanges } from './changes.js';
import { type Entry, tupleText, viewOf } from './conntrack.js';
import { type HostRuntime, isLocalAddress, primaryAddress } from './host.js';
import { type Binding, boundReply, manipOf, manipPacket } from './nat.js';
import { lookupRoute } from './routing.js';
import { type SocketEntry, socketView } from './sockets.js';
import { type MissRecorder, type WalkEvent, walkTable } from './walk.js';

/** A packet in flight with what the kernel attaches to its skb. */
export interface Flight {
  packet: Packet;
  ct?: { entry: Entry; direction: 'original' | 'reply' };
  untracked: boolean;
  zone: number;
  /** The sending socket (locally generated packets only). */
  socket?: SocketEntry;
  /** The socket TPROXY assigned. */
  assigned?: SocketEntry;
}

export type Fate = 'dropped' | 'rejected' | 'refused' | 'lost' | 'stopped';

export type Arrival =
  | {
      readonly kind: 'delivered';
      readonly host: HostRuntime;
      readonly socket: SocketEntry;
      readonly flight: Flight;
    }
  | {
      readonly kind: Fate;
      readonly host: HostRuntime;
      readonly reason: string;
      readonly flight: Flight;
      readonly rule?: string;
    };

const LOCAL_HOOKS: readonly Hook[] = ['OUTPUT', 'POSTROUTING'];

/** The call stack of a step outside any chain: one shared, frozen empty list. */
const NO_FRAMES: readonly Frame[] = Object.freeze([]);

export class Stack {
  private readonly random: () => number;

  constructor(
    private readonly hosts: ReadonlyMap<string, HostRuntime>,
    private readonly rec: TraceRecorder,
    private readonly settings: EngineSettings,
  ) {
    this.random = mulberry32(settings.seed);
  }

  /** A locally generated packet: route, OUTPUT, reroute, POSTROUTING, then out. */
  send(host: HostRuntime, flight: Flight): Arrival {
    this.rec.atHost(host.name);
    const first = this.route(host, flight, 'output');
    if (!first) return this.fate(host, flight, 'lost', 'no route to the destination');
    const out = this.runHook(host, 'OUTPUT', flight);
    if (out) return out;
    if (this.needsReroute(first.dst, first.mark, flight.packet)) {
      const again = this.route(host, flight, 'reroute');
      if (!again)
        return this.fate(host, flight, 'lost', 'no route after OUTPUT changed the packet');
    }
    const post = this.runHook(host, 'POSTROUTING', flight);
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
      this.step(host, flight, {
        kind: 'routing',
        explain: `routing: no route to ${p.dst} (${answer?.rule ?? 'no table'})`,
      });
      return undefined;
    }
    const before = p;
    flight.packet = { ...p, outInterface: route.dev };
    this.step(host, flight, {
      kind: 'routing',
      before,
      explain:
        why === 'reroute'
          ? `rerouted after OUTPUT changed the packet: ${route.text} (${answer.rule})`
          : `routing: ${p.dst} → ${route.text} (${answer.rule})`,
    });
    return { dst: p.dst, mark: p.mark };
  }

  private transmit(host: HostRuntime, flight: Flight): Arrival {
    const p = flight.packet;
    const dev = p.outInterface ?? 'lo';
    if (dev === 'lo') {
      this.step(host, flight, {
        kind: 'wire',
        explain: 'out through lo and straight back in: the loopback turn-around',
      });
      return this.receive(host, 'lo', flight);
    }
    const route = host.routing.get(p.family);
    const answer = route && lookupRoute(route, { dst: p.dst, src: p.src, mark: p.mark });
    const nextHop = answer?.route?.via ?? p.dst;
    const link = host.config.interfaces.find((i) => i.name === dev)?.link;
    const peer = link === undefined ? undefined : this.peerOn(link, host, nextHop);
    if (!peer)
      return this.fate(host, flight, 'lost', `nobody on ${dev} answers ARP for ${nextHop}`);
    this.step(host, flight, {
      kind: 'wire',
      explain: `${host.name} ${dev} ▸ ${peer.host.name} ${peer.iface} (next hop ${nextHop})`,
    });
    // Crossing into another network namespace scrubs the skb: no mark, no conntrack.
    const arriving: Flight = { packet: { ...p, mark: 0 }, untracked: false, zone: 0 };
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
    const pre = this.runHook(host, 'PREROUTING', flight);
    if (pre) return pre;
    const p = flight.packet;
    if (iface !== 'lo' && p.family === 'ipv4' && p.dst.startsWith('127.'))
      return this.fate(
        host,
        flight,
        'dropped',
        `martian destination ${p.dst} on ${iface}: the kernel drops it`,
      );
    const table = host.routing.get(p.family);
    const answer = table && lookupRoute(table, { dst: p.dst, src: p.src, mark: p.mark });
    const route = answer?.route;
    if (route?.type === 'local') {
      this.step(host, flight, {
        kind: 'routing',
        explain: `routing: ${p.dst} is local (${route.text}; ${answer?.rule}) ▸ INPUT`,
      });
      const input = this.runHook(host, 'INPUT', flight);
      if (input) return input;
      return this.deliver(host, flight);
    }
    if (!route || !host.config.forwarding)
      return this.fate(
        host,
        flight,
        'dropped',
        `routing: ${p.dst} is not local and ${host.name} does not forward`,
      );
    this.step(host, flight, {
      kind: 'routing',
      explain: `routing: forward ${p.dst} via ${route.text} ▸ FORWARD`,
    });
    flight.packet = { ...flight.packet, outInterface: route.dev };
    const fwd = this.runHook(host, 'FORWARD', flight);
    if (fwd) return fwd;
    const post = this.runHook(host, 'POSTROUTING', flight);
    if (post) return post;
    return this.transmit(host, flight);
  }

  private deliver(host: HostRuntime, flight: Flight): Arrival {
    const p = flight.packet;
    const proto = p.protocol === 'udp' ? 'udp' : 'tcp';
    const socket = flight.assigned ?? host.sockets.lookup(proto, p.dst, p.dport, p.src, p.sport);
    if (!socket) {
      const what = proto === 'tcp' ? 'TCP RST' : 'ICMP port unreachable';
      return this.fate(
        host,
        flight,
        'refused',
        `nothing listens on ${p.dst}:${p.dport}/${proto}: the kernel answers ${what}`,
      );
    }
    const how = socket.listening
      ? `listener ${socket.local.address}:${socket.local.port}`
      : 'its connected socket';
    this.step(host, flight, {
      kind: 'socket',
      explain: `delivered to ${socket.process} (uid ${socket.uid}) on ${how}`,
    });
    return { kind: 'delivered', host, socket, flight };
  }

  private fate(
    host: HostRuntime,
    flight: Flight,
    kind: Fate,
    reason: string,
    rule?: string,
  ): Arrival {
    this.step(host, flight, {
      kind: kind === 'stopped' ? 'stop' : 'fate',
      verdict: kind,
      explain: reason,
    });
    return { kind, host, reason, flight, rule };
  }

  /** Runs one hook; returns the packet's fate if it ends here, undefined to go on. */
  private runHook(host: HostRuntime, hook: Hook, flight: Flight): Arrival | undefined {
    const ruleset = host.rulesets.get(flight.packet.family);
    const order = HOOK_ORDER[hook];
    const tables = order.filter(
      (t) => t === 'conntrack' || t === 'confirm' || ruleset?.tables.get(t)?.chains.has(hook),
    );
    this.step(host, flight, {
      kind: 'hook',
      hook,
      explain: `${hook} on ${host.name}: ${tables.filter((t) => t !== 'confirm').join(' → ') || 'no tables'}`,
    });
    for (const stage of order) {
      if (stage === 'conntrack') {
        this.conntrackIn(host, hook, flight);
        continue;
      }
      if (stage === 'confirm') {
        this.confirm(host, hook, flight);
        continue;
      }
      const table = ruleset?.tables.get(stage);
      if (stage === 'nat') {
        const ended = this.nat(host, hook, flight, table);
        if (ended) return ended;
        continue;
      }
      if (!table?.chains.has(hook)) continue;
      const result = this.walk(host, hook, flight, table);
      if (result) return result;
    }
    return undefined;
  }

  private walk(
    host: HostRuntime,
    hook: Hook,
    flight: Flight,
    table: Parameters<typeof walkTable>[0]['table'],
  ): Arrival | undefined {
    const result = walkTable({
      table,
      hook,
      packet: flight.packet,
      conntrack: this.view(flight),
      context: this.context(host, hook, flight),
      settings: this.settings,
      record: (e) => this.recordWalk(host, hook, flight, e),
      recordMiss: this.missRecorder(hook),
    });
    flight.packet = result.packet;
    let binding: Binding | undefined;
    for (const effect of result.effects) {
      const c = effect.conntrack;
      if (c?.mark !== undefined && flight.ct) flight.ct.entry.mark = c.mark;
      if (c?.zone !== undefined) flight.zone = c.zone;
      if (c?.untracked) flight.untracked = true;
      if (c?.nat) binding = this.binding(host, flight, c.nat);
      if (effect.tproxy) {
        const sock = host.sockets.listener(
          flight.packet.protocol === 'udp' ? 'udp' : 'tcp',
          effect.tproxy.address,
          effect.tproxy.port,
        );
        if (!sock?.transparent)
          return this.fate(
            host,
            flight,
            'dropped',
            `TPROXY: no transparent socket on ${effect.tproxy.address}:${effect.tproxy.port}: the packet is dropped`,
          );
        flight.assigned = sock;
      }
      if (effect.reject) {
        return this.fate(
          host,
          flight,
          'rejected',
          `REJECT: ${effect.reject.with} sent back to ${flight.packet.src}`,
        );
      }
    }
    if (result.verdict === 'STOP') {
      this.rec.find({
        kind: 'not-simulated',
        message: result.stopReason ?? 'not simulated',
        steps: [this.rec.steps.length - 1],
        rules: result.stopRule ? [result.stopRule] : [],
      });
      return {
        kind: 'stopped',
        host,
        reason: result.stopReason ?? '',
        flight,
        rule: result.stopRule,
      };
    }
    if (result.verdict === 'DROP')
      return this.fate(host, flight, 'dropped', `dropped by ${table.table.name} ${hook}`);
    if (result.verdict !== 'ACCEPT')
      return this.fate(
        host,
        flight,
        'stopped',
        `${result.verdict}: the packet leaves netfilter to user space; nfdb stops here`,
      );
    if (binding) this.pendingBinding = binding;
    return undefined;
  }

  private pendingBinding?: Binding;

  private binding(
    host: HostRuntime,
    flight: Flight,
    nat: NonNullable<NonNullable<import('../vocabulary.js').TargetEffect['conntrack']>['nat']>,
  ): Binding | undefined {
    if (nat.masquerade) {
      const dev = flight.packet.outInterface ?? '';
      const address = primaryAddress(host, dev, flight.packet.family);
      return address ? { kind: 'snat', address, port: nat.port } : undefined;
    }
    return nat.address ? { kind: nat.kind, address: nat.address, port: nat.port } : undefined;
  }

  /** The nat table only for a connection's first packet; every packet gets the tuple rewrite. */
  private nat(
    host: HostRuntime,
    hook: Hook,
    flight: Flight,
    table: Parameters<typeof walkTable>[0]['table'] | undefined,
  ) {
    const manip = manipOf(hook);
    const ct = flight.ct;
    if (!manip || !ct || flight.untracked) return undefined;
    const { entry, direction } = ct;
    const isNew = direction === 'original' && !entry.seenReply;
    if (isNew && !entry.natDone.has(manip)) {
      this.pendingBinding = undefined;
      if (table?.chains.has(hook)) {
        const ended = this.walk(host, hook, flight, table);
        if (ended) return ended;
      }
      entry.natDone.add(manip);
      const binding = this.pendingBinding as Binding | undefined;
      if (binding) {
        host.conntrack.setReply(entry, boundReply(entry.reply, binding));
        entry.natApplied.add(manip);
      }
    } else if (table?.chains.has(hook)) {
      const why = isNew
        ? `nat ${hook} is not consulted: this connection's ${manip === 'dnat' ? 'destination' : 'source'} NAT was decided earlier on this host`
        : `nat ${hook} is not consulted: not the first packet of the connection (conntrack ${direction === 'reply' ? 'reply' : 'ESTABLISHED'}); conntrack applies the connection's NAT`;
      this.step(host, flight, { kind: 'conntrack', hook, table: 'nat', explain: why });
    }
    const before = flight.packet;
    flight.packet = manipPacket(before, entry, direction, manip);
    if (flight.packet !== before) {
      const change = packetChanges(before, flight.packet)
        .map((c) => `${c.field} ${c.before} → ${c.after}`)
        .join(', ');
      this.step(host, flight, {
        kind: 'conntrack',
        hook,
        before,
        explain: `conntrack ${manip === 'dnat' ? 'DNAT' : 'SNAT'}: ${change}`,
      });
    }
    return undefined;
  }

  private conntrackIn(host: HostRuntime, hook: Hook, flight: Flight): void {
    if (flight.untracked) {
      this.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: 'conntrack: untracked (NOTRACK): no entry, no NAT',
      });
      return;
    }
    if (flight.ct) {
      this.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: `conntrack: the entry stays attached across lo (${this.view(flight)?.state})`,
      });
      return;
    }
    const found = host.conntrack.lookup(flight.packet, flight.zone);
    if (found) {
      if (found.direction === 'reply') found.entry.seenReply = true;
      flight.ct = found;
      const v = this.view(flight);
      this.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: `conntrack: ${found.direction} direction of ${tupleText(found.entry.original)}: ${v?.state}`,
      });
      return;
    }
    const entry = host.conntrack.create(flight.packet, flight.zone);
    flight.ct = { entry, direction: 'original' };
    const zone = flight.zone ? ` in zone ${flight.zone}` : '';
    this.step(host, flight, {
      kind: 'conntrack',
      hook,
      explain: `conntrack: new connection ${tupleText(entry.original)}${zone}: NEW`,
    });
  }

  private confirm(host: HostRuntime, hook: Hook, flight: Flight): void {
    const ct = flight.ct;
    if (!ct || flight.untracked || ct.entry.confirmed) return;
    host.conntrack.confirm(ct.entry);
    this.step(host, flight, {
      kind: 'conntrack',
      hook,
      explain: `conntrack confirms the entry at the end of ${hook}: reply ${tupleText(ct.entry.reply)}`,
    });
  }

  private view(flight: Flight) {
    return flight.ct ? viewOf(flight.ct.entry, flight.ct.direction, flight.untracked) : undefined;
  }

  private context(host: HostRuntime, hook: Hook, flight: Flight) {
    const family = flight.packet.family;
    return {
      socket: flight.socket && LOCAL_HOOKS.includes(hook) ? socketView(flight.socket) : undefined,
      addressType: (address: string): readonly AddressType[] =>
        isLocalAddress(host, address)
          ? ['LOCAL']
          : address.startsWith('224.')
            ? ['MULTICAST']
            : ['UNICAST'],
      findSocket: (p: Packet, o: { nowildcard: boolean }) => {
        const proto = p.protocol === 'udp' ? 'udp' : 'tcp';
        const s =
          host.sockets.connected(proto, p.dst, p.dport, p.src, p.sport) ??
          host.sockets.listener(proto, p.dst, p.dport, o.nowildcard);
        return s && socketView(s);
      },
      random: this.random,
      nextNth: (id: string, every: number, start: number) => {
        const key = `${id}`;
        const count = host.nth.get(key) ?? start;
        const next = count >= every - 1 ? 0 : count + 1;
        host.nth.set(key, next);
        return next;
      },
      primaryAddress: (iface: string) => primaryAddress(host, iface, family),
    };
  }

  /** The walk's misses go straight to the recorder (walk.ts MissRecorder). */
  private missRecorder(hook: Hook): MissRecorder {
    const rec = this.rec;
    return (
      table,
      chain,
      rule,
      ruleIndex,
      failedMatch,
      stack,
      packet,
      conntrack,
      explain,
      assumption,
    ) =>
      rec.addWalkMiss(
        hook,
        table,
        chain,
        rule.id,
        ruleIndex,
        failedMatch,
        stack,
        packet,
        conntrack,
        explain,
        assumption,
      );
  }

  private recordWalk(host: HostRuntime, hook: Hook, flight: Flight, e: WalkEvent): void {
    // Matched rules, policies, returns, stops (misses take missRecorder): no StepInput between.
    this.rec.addWalk(
      e,
      hook,
      flight.packet.family,
      e.before === e.packet ? NO_CHANGES : packetChanges(e.before, e.packet),
    );
    void host;
  }

  private step(
    host: HostRuntime,
    flight: Flight,
    s: {
      kind: 'hook' | 'routing' | 'wire' | 'socket' | 'fate' | 'stop' | 'conntrack';
      explain: string;
      hook?: Hook;
      table?: 'nat';
      verdict?: string;
      before?: Packet;
    },
  ): void {
    this.rec.atHost(host.name);
    this.rec.addStackStep({
      kind: s.kind,
      hook: s.hook,
      table: s.table,
      verdict: s.verdict,
      stack: NO_FRAMES,
      packet: flight.packet,
      changes: s.before ? packetChanges(s.before, flight.packet) : NO_CHANGES,
      conntrack: this.view(flight),
      explain: s.explain,
    });
  }
}

/** A small seeded PRNG: the same seed gives the same statistic draws, so traces repeat. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
