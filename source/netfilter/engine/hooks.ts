/**
 * One hook on one host: its tables in the kernel's priority order, conntrack where
 * nf_conntrack_in runs, NAT only for a connection's first packet (every later packet gets the
 * tuple rewrite alone), and the confirmation of a new entry at the end of the last hook.
 */

import type { AddressType, EngineSettings, Hook, Packet } from '../../model/index.js';
import { HOOK_ORDER } from '../vocabulary.js';
import { changesText, NO_CHANGES, packetChanges } from './changes.js';
import { invert, tupleText } from './conntrack.js';
import type { Arrival, Flight, StepWriter } from './flight.js';
import { type HostRuntime, isLocalAddress, primaryAddress } from './host.js';
import { type Binding, boundReply, manipIcmpError, manipOf, manipPacket } from './nat.js';
import type { TraceRecorder } from './recorder.js';
import { rejectAnswer } from './reject.js';
import { socketView } from './sockets.js';
import { type MissRecorder, type WalkEvent, walkTable } from './walk.js';

const LOCAL_HOOKS: readonly Hook[] = ['OUTPUT', 'POSTROUTING'];

export class Hooks {
  private readonly random: () => number;

  constructor(
    private readonly rec: TraceRecorder,
    private readonly settings: EngineSettings,
    private readonly out: StepWriter,
  ) {
    this.random = mulberry32(settings.seed);
  }

  /** Runs one hook; returns the packet's fate if it ends here, undefined to go on. */
  run(host: HostRuntime, hook: Hook, flight: Flight): Arrival | undefined {
    const ruleset = host.rulesets.get(flight.packet.family);
    const order = HOOK_ORDER[hook];
    const tables = order.filter(
      (t) => t === 'conntrack' || t === 'confirm' || ruleset?.tables.get(t)?.chains.has(hook),
    );
    this.out.step(host, flight, {
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
      conntrack: this.out.view(flight),
      context: this.context(host, hook, flight),
      settings: this.settings,
      record: (e) => this.recordWalk(hook, flight, e),
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
          return this.out.fate(
            host,
            flight,
            'dropped',
            `TPROXY: no transparent socket on ${effect.tproxy.address}:${effect.tproxy.port}: the packet is dropped`,
          );
        flight.assigned = sock;
      }
      if (effect.reject) {
        return this.out.fate(
          host,
          flight,
          'rejected',
          `REJECT: dropped, and ${effect.reject.with} is sent back to ${flight.packet.src}`,
          undefined,
          rejectAnswer(flight, effect.reject.with),
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
      return this.out.fate(host, flight, 'dropped', `dropped by ${table.table.name} ${hook}`);
    if (result.verdict !== 'ACCEPT')
      return this.out.fate(
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
    // A related TCP RST (REJECT's answer) runs nat where its entry has none yet; an ICMP error
    // never does: nf_nat_inet_fn only translates it from the connection's NAT.
    const icmpError = flight.packet.embedded !== undefined;
    const isNew =
      !icmpError && ((direction === 'original' && !entry.seenReply) || flight.related === true);
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
      const why = icmpError
        ? `nat ${hook} is not consulted: an ICMP error is translated from its connection's NAT, never by the nat table`
        : isNew
          ? `nat ${hook} is not consulted: this connection's ${manip === 'dnat' ? 'destination' : 'source'} NAT was decided earlier on this host`
          : `nat ${hook} is not consulted: not the first packet of the connection (conntrack ${direction === 'reply' ? 'reply' : 'ESTABLISHED'}); conntrack applies the connection's NAT`;
      this.out.step(host, flight, {
        kind: 'conntrack',
        hook,
        table: 'nat',
        explain: why,
        lesson: 'nat-first-packet-only',
      });
    }
    // An ICMP error takes its connection's NAT too, the packet it quotes included.
    const before = flight.packet;
    const icmp = before.embedded !== undefined;
    flight.packet = icmp
      ? manipIcmpError(before, entry, direction, manip)
      : manipPacket(before, entry, direction, manip);
    if (flight.packet === before) return undefined;
    const what = [changesText(before, flight.packet)];
    if (icmp) what.push(`quoted ${quotedChange(before, flight.packet)}`);
    this.out.step(host, flight, {
      kind: 'conntrack',
      hook,
      before,
      explain: `conntrack ${manip === 'dnat' ? 'DNAT' : 'SNAT'}${icmp ? ' of an ICMP error' : ''}: ${what.filter((w) => w !== '').join(', ')}`,
    });
    return undefined;
  }

  private conntrackIn(host: HostRuntime, hook: Hook, flight: Flight): void {
    if (flight.untracked) {
      this.out.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: 'conntrack: untracked (NOTRACK): no entry, no NAT',
      });
      return;
    }
    if (flight.ct) {
      const explain = flight.related
        ? "conntrack: REJECT's answer carries the rejected packet's entry: RELATED"
        : `conntrack: the entry stays attached across lo (${this.out.view(flight)?.state})`;
      this.out.step(host, flight, { kind: 'conntrack', hook, explain });
      return;
    }
    const embedded = flight.packet.embedded;
    if (embedded) {
      // An ICMP error belongs to the connection of the packet it quotes, travelling back: the
      // kernel looks up the quoted tuple inverted, as NAT left it where the error was sent.
      const quoted = host.conntrack.lookupTuple(invert(embedded), flight.zone);
      if (quoted) {
        flight.ct = { entry: quoted.entry, direction: quoted.direction };
        flight.related = true;
        this.out.step(host, flight, {
          kind: 'conntrack',
          hook,
          explain: `conntrack: an ICMP error about ${tupleText(quoted.entry.original)}: RELATED`,
        });
        return;
      }
      // nf_conntrack_inet_error: -NF_ACCEPT, the error goes on without an entry.
      this.out.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: `conntrack: an ICMP error about ${tupleText(embedded)}, a connection this host does not track: no entry (INVALID), no NAT`,
      });
      return;
    }
    const found = host.conntrack.lookup(flight.packet, flight.zone);
    if (found) {
      if (found.direction === 'reply') found.entry.seenReply = true;
      flight.ct = found;
      const v = this.out.view(flight);
      this.out.step(host, flight, {
        kind: 'conntrack',
        hook,
        explain: `conntrack: ${found.direction} direction of ${tupleText(found.entry.original)}: ${v?.state}`,
      });
      return;
    }
    const entry = host.conntrack.create(flight.packet, flight.zone);
    flight.ct = { entry, direction: 'original' };
    const zone = flight.zone ? ` in zone ${flight.zone}` : '';
    this.out.step(host, flight, {
      kind: 'conntrack',
      hook,
      explain: `conntrack: new connection ${tupleText(entry.original)}${zone}: NEW`,
    });
  }

  private confirm(host: HostRuntime, hook: Hook, flight: Flight): void {
    const ct = flight.ct;
    // nf_conntrack_confirm leaves a RELATED answer's entry alone.
    if (!ct || flight.untracked || flight.related || ct.entry.confirmed) return;
    host.conntrack.confirm(ct.entry);
    this.out.step(host, flight, {
      kind: 'conntrack',
      hook,
      explain: `conntrack confirms the entry at the end of ${hook}: reply ${tupleText(ct.entry.reply)}`,
    });
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

  private recordWalk(hook: Hook, flight: Flight, e: WalkEvent): void {
    // Matched rules, policies, returns, stops (misses take missRecorder): no StepInput between.
    this.rec.addWalk(
      e,
      hook,
      flight.packet.family,
      e.before === e.packet ? NO_CHANGES : packetChanges(e.before, e.packet),
    );
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

/** The packet an ICMP error quotes, before and after conntrack rewrote it. */
function quotedChange(before: Packet, after: Packet): string {
  const from = before.embedded;
  const to = after.embedded;
  return from && to ? `${tupleText(from)} → ${tupleText(to)}` : '';
}
