/**
 * nfdb's hypothesis for the what-if "does envoy open a new connection or rewrite the packet?":
 * an envoy in `rewrite` mode accepts nothing. Each packet netfilter delivers to its inbound or
 * outbound listener is written back to where it was going (SO_ORIGINAL_DST, or the local
 * address under TPROXY), its source left as the client's, and sent again as the proxy's own: a
 * new skb from its socket (its uid and gid, its TPROXY mark), with no conntrack entry attached.
 * Nothing here decides where it goes: the stack runs it like any locally generated packet, so
 * conntrack finds whatever entry its tuple has. No real proxy does this; no kernel run checks it.
 */

import type { HostRuntime } from '../netfilter/engine/host.js';
import type { Arrival, Flight } from '../netfilter/engine/stack.js';
import {
  type Behaviour,
  type Delivered,
  type Envoy,
  type Loop,
  note,
  originalDestination,
  reportLoop,
} from './processes.js';

/** Sends a packet once from a host, as the connection it belongs to, and says where it ended. */
export type Resend = (host: HostRuntime, flight: Flight, label: string) => Arrival;

/** The rewriting envoy whose proxy listener a packet was delivered to, if it was. */
function rewritingProxy(a: Arrival): { arrival: Delivered; envoy: Envoy } | undefined {
  if (a.kind !== 'delivered' || !a.socket.listening) return undefined;
  const envoy = a.host.config.processes.find((p) => p.name === a.socket.process);
  if (envoy?.kind !== 'envoy' || envoy.mode !== 'rewrite') return undefined;
  const port = a.socket.local.port;
  if (port !== envoy.inboundPort && port !== envoy.outboundPort) return undefined;
  return { arrival: a, envoy };
}

/**
 * Why the rewritten packet came back: the entry it carries is the one the proxy read it with,
 * met in the original direction and DNATed, so conntrack redirected it again; else the rules.
 */
function causeOf(back: Delivered, before: Flight): Loop['cause'] {
  const now = back.flight.ct;
  const read = before.ct?.entry;
  if (now && now.entry === read && now.direction === 'original' && now.entry.natApplied.has('dnat'))
    return { kind: 'rewritten-packet-matches-entry', entry: now.entry.id };
  return { kind: 'rewritten-packet-redirected' };
}

export class Rewriter {
  /** Host/process pairs whose hypothesis the trace has already named. */
  private readonly named = new Set<string>();
  /** The connections whose packets a proxy rewrote, with the proxy. */
  private readonly rewrote = new Map<number, { host: string; process: string }>();

  constructor(private readonly b: Behaviour) {}

  /**
   * Follows a packet through every rewriting proxy it reaches, and returns where it ends at
   * last. The same proxy sending it to the same destination again and again is a loop, ended
   * after the settings' loop limit with a finding that names its cause.
   */
  follow(arrival: Arrival, conn: number, label: string, resend: Resend): Arrival {
    const passes: string[] = [];
    let current = arrival;
    let first: Delivered | undefined;
    let read: Flight | undefined;
    for (;;) {
      const found = rewritingProxy(current);
      if (!found) return current;
      const { arrival: at, envoy } = found;
      first ??= at;
      const original = originalDestination(envoy, at);
      const destination = `${original.address}:${original.port}`;
      const key = `${at.host.name}/${envoy.name}/${destination}`;
      const rounds = passes.filter((k) => k === key).length;
      if (rounds >= this.b.settings.loopLimit) {
        const loop = {
          envoy,
          destination,
          rounds: rounds + 1,
          cause: causeOf(at, read ?? at.flight),
        };
        reportLoop(this.b, at.host, loop, first ?? at, at.flight);
        return { kind: 'stopped', host: at.host, flight: at.flight };
      }
      passes.push(key);
      this.rewrites(at, envoy, original);
      this.rewrote.set(conn, { host: at.host.name, process: envoy.name });
      read = at.flight;
      current = resend(at.host, rewritten(at, envoy, original), `${label} (rewritten)`);
    }
  }

  /**
   * A reply of connection `conn` just missed the client's socket (its last step says where it
   * ended). If a proxy rewrote that connection's packets, that is what the rewrite broke: a
   * finding, so the trace does not leave it to the connection's outcome alone.
   */
  replyLost(conn: number, label: string): void {
    const proxy = this.rewrote.get(conn);
    if (!proxy) return;
    const steps = [this.b.rec.lastStep];
    this.b.rec.find({ kind: 'rewritten-reply-lost', ...proxy, connection: conn, label, steps });
  }

  /** The process step, and once per proxy the finding that this trace rests on a hypothesis. */
  private rewrites(at: Delivered, envoy: Envoy, original: ReturnType<typeof originalDestination>) {
    const port = at.socket.local.port;
    const step = note(
      this.b,
      {
        kind: 'rewrites',
        process: envoy.name,
        uid: envoy.uid,
        side: port === envoy.inboundPort ? 'inbound' : 'outbound',
        port,
        original: { address: original.address, port: original.port },
        by: original.by,
      },
      at.flight,
    );
    const key = `${at.host.name}/${envoy.name}`;
    if (this.named.has(key)) return;
    this.named.add(key);
    this.b.rec.find({
      kind: 'hypothesis',
      hypothesis: 'proxy-rewrites-packets',
      host: at.host.name,
      process: envoy.name,
      steps: [step],
    });
  }
}

/**
 * The packet as the proxy sends it again: destination back to the original one, source
 * unchanged, from the proxy's socket (what `-m owner` sees), with its mark under TPROXY.
 */
function rewritten(
  at: Delivered,
  envoy: Envoy,
  original: ReturnType<typeof originalDestination>,
): Flight {
  const mark = envoy.tproxy?.mark ?? 0;
  const p = at.flight.packet;
  return {
    packet: {
      ...p,
      dst: original.address,
      dport: original.port,
      mark,
      inInterface: undefined,
      outInterface: undefined,
    },
    untracked: false,
    zone: 0,
    socket: { ...at.socket, mark, transparent: envoy.tproxy !== undefined },
  };
}
