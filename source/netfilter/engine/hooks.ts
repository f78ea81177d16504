/**
 * One hook on one host: its programs in priority order (programs.ts). Conntrack where
 * nf_conntrack_in runs, tables by their priority, NAT only for a connection's first packet
 * (every later packet gets the tuple rewrite alone), and the confirmation of a new entry last.
 */
import type {
  AddressType,
  ConntrackEvent,
  EngineSettings,
  Hook,
  IpSetConfig,
  Packet,
  TableRef,
  TargetEffect,
} from '../../model/index.js';
import { ipsetsByName } from '../ipset.js';
import type { CompiledTable } from './compile.js';
import { invert } from './conntrack.js';
import type { Arrival, Flight, StepWriter } from './flight.js';
import { type HostRuntime, isLocalAddress, primaryAddress } from './host.js';
import { type Binding, boundReply, manipIcmpError, manipPacket } from './nat.js';
import { walkNftChain } from './nft/walk.js';
import type { HookProgram, NftEntry } from './programs.js';
import { natOrder, stagesOf } from './programs.js';
import type { TraceRecorder } from './recorder.js';
import { rejectAnswer } from './reject.js';
import { socketView } from './sockets.js';
import { judgeNew, judgeTracked } from './tcp-conntrack.js';
import { type WalkResult, walkTable } from './walk.js';

const LOCAL_HOOKS: readonly Hook[] = ['OUTPUT', 'POSTROUTING'];

/** What a table's walk left: the packet's end if it ended there, and the NAT it bound. */
interface TableOutcome {
  readonly ended?: Arrival;
  readonly binding?: Binding;
}

type NatRequest = NonNullable<NonNullable<TargetEffect['conntrack']>['nat']>;

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
    const programs = host.programs.get(flight.packet.family)?.[hook] ?? [];
    this.out.step(host, flight, { kind: 'hook', hook, stages: stagesOf(hook, programs) });
    for (const program of programs) {
      const ended = this.runProgram(host, hook, flight, program);
      if (ended) return ended;
    }
    return undefined;
  }

  private runProgram(
    host: HostRuntime,
    hook: Hook,
    flight: Flight,
    program: HookProgram,
  ): Arrival | undefined {
    switch (program.kind) {
      case 'conntrack':
        this.conntrackIn(host, hook, flight);
        return undefined;
      case 'confirm':
        this.confirm(host, hook, flight);
        return undefined;
      case 'nat':
        return this.nat(host, hook, flight, program);
      case 'table':
        return this.walk(host, hook, flight, program.table).ended;
      case 'nft':
        return this.walkNft(host, hook, flight, program).ended;
    }
  }

  private walk(host: HostRuntime, hook: Hook, flight: Flight, table: CompiledTable): TableOutcome {
    const result = walkTable({
      table,
      hook,
      packet: flight.packet,
      conntrack: this.out.view(flight),
      context: this.context(host, hook, flight),
      settings: this.settings,
      rec: this.rec,
    });
    return this.settle(host, hook, flight, result, table.ref);
  }

  /** One nftables base chain: the same effects, applied the same way, as a table's. */
  private walkNft(host: HostRuntime, hook: Hook, flight: Flight, entry: NftEntry): TableOutcome {
    const result = walkNftChain({
      table: entry.table,
      chain: entry.chain,
      hook,
      packet: flight.packet,
      conntrack: this.out.view(flight),
      context: this.context(host, hook, flight),
      settings: this.settings,
      rec: this.rec,
      dynamic: host.nftSets,
      tproxyListener: (address, port) => {
        const protocol = flight.packet.protocol === 'udp' ? 'udp' : 'tcp';
        return host.sockets.listener(protocol, address, port)?.transparent === true;
      },
    });
    return this.settle(host, hook, flight, result, entry.table.ref);
  }

  /** What a walk left, applied to the flight: zone, mark, NAT, TPROXY, REJECT, the verdict. */
  private settle(
    host: HostRuntime,
    hook: Hook,
    flight: Flight,
    result: WalkResult,
    ref: TableRef,
  ): TableOutcome {
    flight.packet = result.packet;
    let binding: Binding | undefined;
    for (const { effect, rules } of result.effects) {
      const c = effect.conntrack;
      if (c?.mark !== undefined && flight.ct) flight.ct.entry.mark = c.mark;
      if (c?.zone !== undefined) flight.zone = c.zone;
      if (c?.untracked) flight.untracked = true;
      if (c?.nat) binding = this.binding(host, flight, c.nat);
      if (c?.nat?.kind === 'dnat' || effect.tproxy) flight.redirectedBy = rules;
      if (effect.tproxy) {
        const { address, port } = effect.tproxy;
        const protocol = flight.packet.protocol === 'udp' ? 'udp' : 'tcp';
        const sock = host.sockets.listener(protocol, address, port);
        if (!sock?.transparent)
          return {
            ended: this.out.fate(host, flight, 'dropped', {
              kind: 'tproxy-no-socket',
              address,
              port,
            }),
          };
        flight.assigned = sock;
      }
      if (effect.reject) {
        const answer = rejectAnswer(flight, effect.reject.with);
        const reason = {
          kind: 'rejected',
          with: effect.reject.with,
          to: flight.packet.src,
        } as const;
        return { ended: this.out.fate(host, flight, 'rejected', reason, answer) };
      }
    }
    const stop = result.stop;
    if (stop) {
      this.rec.find({
        kind: 'not-simulated',
        reason: stop.reason,
        steps: [stop.step],
        rules: [stop.rule],
      });
      return { ended: { kind: 'stopped', host, flight } };
    }
    if (result.verdict === 'DROP') {
      const reason = { kind: 'table-drop', table: ref, hook } as const;
      return { ended: this.out.fate(host, flight, 'dropped', reason) };
    }
    if (result.verdict === 'QUEUE' || result.verdict === 'STOLEN')
      return {
        ended: this.out.stop(host, flight, { kind: 'to-user-space', verdict: result.verdict }),
      };
    return { binding };
  }

  private binding(host: HostRuntime, flight: Flight, nat: NatRequest): Binding | undefined {
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
    program: Extract<HookProgram, { kind: 'nat' }>,
  ): Arrival | undefined {
    const { manip } = program;
    const ct = flight.ct;
    if (!ct && !flight.untracked && flight.invalid) {
      // nf_nat_inet_fn: no entry, nothing to translate by; the nat chains never see it.
      for (const c of natOrder(program, hook))
        this.out.step(host, flight, {
          kind: 'conntrack',
          hook,
          event: {
            kind: 'nat-skipped',
            table: c.table.ref,
            manip,
            why: 'invalid',
            direction: 'original',
          },
        });
      return undefined;
    }
    if (!ct || flight.untracked) return undefined;
    const { entry, direction } = ct;
    // A related TCP RST (REJECT's answer) runs nat where its entry has none yet; an ICMP error
    // never does: nf_nat_inet_fn only translates it from the connection's NAT.
    const icmpError = flight.packet.embedded !== undefined;
    const isNew =
      !icmpError && ((direction === 'original' && !entry.seenReply) || flight.related === true);
    const chains = natOrder(program, hook);
    if (isNew && !entry.natDone.has(manip)) {
      // nf_nat_inet_fn: each nat chain in turn, until one binds the connection's NAT.
      for (const c of chains) {
        const { ended, binding } =
          c.kind === 'table'
            ? this.walk(host, hook, flight, c.table)
            : this.walkNft(host, hook, flight, c);
        if (ended) return ended;
        if (binding) {
          host.conntrack.setReply(entry, boundReply(entry.reply, binding));
          entry.natApplied.add(manip);
          break;
        }
      }
      entry.natDone.add(manip);
    } else {
      const why = icmpError ? 'icmp-error' : isNew ? 'decided' : 'not-first';
      for (const c of chains)
        this.out.step(host, flight, {
          kind: 'conntrack',
          hook,
          event: { kind: 'nat-skipped', table: c.table.ref, manip, why, direction },
        });
    }
    // An ICMP error takes its connection's NAT too, the packet it quotes included.
    const before = flight.packet;
    const quoted = before.embedded;
    flight.packet = quoted
      ? manipIcmpError(before, entry, direction, manip)
      : manipPacket(before, entry, direction, manip);
    if (flight.packet === before) return undefined;
    const after = flight.packet.embedded;
    this.out.step(
      host,
      flight,
      {
        kind: 'conntrack',
        hook,
        event: {
          kind: 'nat-applied',
          manip,
          ...(quoted && after ? { quoted: { before: quoted, after } } : {}),
        },
      },
      before,
    );
    return undefined;
  }

  private conntrackIn(host: HostRuntime, hook: Hook, flight: Flight): void {
    const event = this.lookup(host, flight);
    flight.invalid = event.kind === 'invalid';
    this.conntrackStep(host, hook, flight, event);
  }

  /** nf_conntrack_in: attach the packet's entry, or a new one, and say which. */
  private lookup(host: HostRuntime, flight: Flight): ConntrackEvent {
    if (flight.untracked) return { kind: 'untracked' };
    if (flight.ct) {
      const state = this.out.view(flight)?.state ?? 'NEW';
      return flight.related ? { kind: 'reject-related' } : { kind: 'attached', state };
    }
    const embedded = flight.packet.embedded;
    if (embedded) {
      // An ICMP error belongs to the connection of the packet it quotes, travelling back: the
      // kernel looks up the quoted tuple inverted, as NAT left it where the error was sent.
      const quoted = host.conntrack.lookupTuple(invert(embedded), flight.zone);
      if (!quoted) return { kind: 'icmp-untracked', quoted: embedded };
      // nf_conntrack_inet_error: -NF_ACCEPT above, the error goes on without an entry.
      flight.ct = { entry: quoted.entry, direction: quoted.direction };
      flight.related = true;
      return { kind: 'icmp-related', original: quoted.entry.original };
    }
    const sysctls = host.config.conntrack;
    const found = host.conntrack.lookup(flight.packet, flight.zone);
    if (found) {
      const judged = judgeTracked(flight.packet, sysctls);
      if (judged.kind === 'invalid') return { kind: 'invalid', why: judged.why };
      if (found.direction === 'reply' && judged.kind === 'in-window') found.entry.seenReply = true;
      flight.ct = found;
      const state = this.out.view(flight)?.state ?? 'NEW';
      const { direction, entry } = found;
      const ignored = judged.kind === 'ignored' ? { ignored: judged.window } : {};
      return { kind: 'found', direction, original: entry.original, state, ...ignored };
    }
    const opens = judgeNew(flight.packet, sysctls);
    if (opens.kind === 'invalid') return { kind: 'invalid', why: opens.why };
    const entry = host.conntrack.create(flight.packet, flight.zone);
    flight.ct = { entry, direction: 'original' };
    const pickedUp = opens.kind === 'picked-up' ? { pickedUp: true as const } : {};
    return { kind: 'new', original: entry.original, zone: flight.zone, ...pickedUp };
  }

  private conntrackStep(
    host: HostRuntime,
    hook: Hook,
    flight: Flight,
    event: ConntrackEvent,
  ): void {
    this.out.step(host, flight, { kind: 'conntrack', hook, event });
  }

  private confirm(host: HostRuntime, hook: Hook, flight: Flight): void {
    const ct = flight.ct;
    // nf_conntrack_confirm leaves a RELATED answer's entry alone.
    if (!ct || flight.untracked || flight.related || ct.entry.confirmed) return;
    host.conntrack.confirm(ct.entry);
    this.conntrackStep(host, hook, flight, { kind: 'confirmed', reply: ct.entry.reply });
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
      // nf_sk_lookup_slow_v4: the connected socket, else the listener, a wildcard one too;
      // whether a wildcard socket counts is the match's to say (--nowildcard).
      findSocket: (p: Packet) => {
        const proto = p.protocol === 'udp' ? 'udp' : 'tcp';
        const s = host.sockets.lookup(proto, p.dst, p.dport, p.src, p.sport);
        return s && socketView(s);
      },
      random: this.random,
      nextNth: (id: string, every: number, start: number) => {
        const count = host.nth.get(id) ?? start;
        const next = count >= every - 1 ? 0 : count + 1;
        host.nth.set(id, next);
        return next;
      },
      primaryAddress: (iface: string) => primaryAddress(host, iface, family),
      ipset: (name: string) => ipsetsByName(host.config.ipsets ?? NO_IPSETS).get(name),
    };
  }
}

/** A host without ipsets: one empty list, so the engine reads it once. */
const NO_IPSETS: readonly IpSetConfig[] = [];

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
