/**
 * What the processes behind listeners do with a request. A server and the DNS proxy answer;
 * envoy never rewrites a packet: it accepts the redirected connection, reads where it was going
 * (SO_ORIGINAL_DST from conntrack, or the local address under TPROXY) and opens a NEW
 * connection there — from 127.0.0.6 (::6) inbound, as its own uid outbound. If that new
 * connection keeps coming back to it, that is a loop, reported with the rules on the cycle.
 */

import type { Lesson, Packet } from '../model/index.js';
import {
  DEFAULT_DNS_RESPONSE,
  DEFAULT_RESPONSE,
  type EngineSettings,
  type ProcessConfig,
} from '../model/index.js';
import { viewOf } from '../netfilter/engine/conntrack.js';
import type { HostRuntime } from '../netfilter/engine/host.js';
import type { TraceRecorder } from '../netfilter/engine/recorder.js';
import type { SocketEntry } from '../netfilter/engine/sockets.js';
import type { Arrival, Flight } from '../netfilter/engine/stack.js';

export type Outcome =
  | { readonly ok: true; readonly response: number }
  | { readonly ok: false; readonly why: string };

/** Who opens a connection, with the socket options that matter to netfilter. */
export interface Opener {
  readonly host: HostRuntime;
  readonly process: ProcessConfig;
  readonly bind?: { readonly address?: string; readonly port?: number };
  /** SO_MARK. */
  readonly mark: number;
  /** IP_TRANSPARENT. */
  readonly transparent: boolean;
}

export interface Request {
  readonly to: { readonly address: string; readonly port: number };
  readonly protocol: 'tcp' | 'udp';
  readonly payload: number;
  readonly traffic: number;
  readonly parent?: number;
  /** Proxy hops above this connection, as host/proxy/original destination keys. */
  readonly chain: readonly string[];
  readonly label: string;
}

/** What a process may do from inside a connection. */
export interface Behaviour {
  readonly rec: TraceRecorder;
  readonly settings: EngineSettings;
  open(opener: Opener, req: Request): Outcome;
}

type Delivered = Arrival & { kind: 'delivered' };
type Envoy = Extract<ProcessConfig, { kind: 'envoy' }>;

/** A process step: shown with the packet the process just read and its conntrack entry. */
function note(b: Behaviour, explain: string, current: Flight, lesson?: Lesson): void {
  const ct = current.ct;
  b.rec.add({
    kind: 'process',
    stack: [],
    packet: current.packet,
    changes: [],
    conntrack: ct ? viewOf(ct.entry, ct.direction, current.untracked) : undefined,
    explain,
    ...(lesson ? { lesson } : {}),
  });
}

/** What the process behind a listener does with a request; returns the response size. */
export function serve(
  b: Behaviour,
  host: HostRuntime,
  listener: SocketEntry,
  first: Delivered,
  req: Request,
  /** The request as the process reads it (the first packet is what it accepted). */
  current: Flight,
): Outcome {
  const process = host.config.processes.find((p) => p.name === listener.process);
  if (!process) return { ok: false, why: `no process owns ${listener.process}` };
  if (process.kind === 'server') {
    const response = process.response ?? DEFAULT_RESPONSE;
    note(b, `${process.name} (uid ${process.uid}) answers ${response} bytes`, current);
    return { ok: true, response };
  }
  if (process.kind === 'dns-proxy') {
    const response = process.response ?? DEFAULT_DNS_RESPONSE;
    note(b, `${process.name} answers the DNS query with ${response} bytes`, current);
    return { ok: true, response };
  }
  if (process.kind !== 'envoy')
    return { ok: false, why: `${process.name} does not accept connections` };
  if (listener.local.port !== process.inboundPort && listener.local.port !== process.outboundPort) {
    // Its own listeners (health 15021, stats 15090) are answered by envoy itself.
    note(b, `${process.name} answers on its own listener ${listener.local.port}`, current);
    return { ok: true, response: DEFAULT_RESPONSE };
  }
  return proxy(b, host, process, listener, first, req, current);
}

/** Where the accepted connection was going before netfilter sent it to envoy. */
function originalDestination(envoy: Envoy, first: Delivered) {
  const packet = first.flight.packet;
  const ct = first.flight.ct?.entry;
  const fromTproxy = envoy.tproxy !== undefined && first.flight.assigned !== undefined;
  const address =
    fromTproxy || !ct
      ? { address: packet.dst, port: packet.dport }
      : { address: ct.original.dst, port: ct.original.dport };
  const how = fromTproxy
    ? 'the local address (TPROXY kept the destination)'
    : 'SO_ORIGINAL_DST from conntrack';
  return { ...address, how };
}

function reportLoop(
  b: Behaviour,
  host: HostRuntime,
  envoy: Envoy,
  to: string,
  rounds: number,
  packet: Packet,
): Outcome {
  const steps = b.rec.steps.flatMap((s, i) =>
    s.kind === 'rule' &&
    s.matched &&
    /REDIRECT|DNAT|TPROXY/.test(s.verdict ?? '') &&
    s.host === host.name
      ? [i]
      : [],
  );
  const rules = [...new Set(steps.map((i) => b.rec.steps[i]?.ruleId ?? ''))];
  b.rec.add({
    kind: 'stop',
    stack: [],
    packet,
    changes: [],
    verdict: 'loop',
    explain: `loop: ${envoy.name} has been sent to ${to} ${rounds} times; every new connection it opens is redirected back to itself`,
  });
  b.rec.find({
    kind: 'loop',
    message: `${envoy.name} on ${host.name} re-opens ${to} into its own listener (${rounds} rounds)`,
    steps: [b.rec.steps.length - 1],
    rules,
  });
  return { ok: false, why: 'redirect loop' };
}

function proxy(
  b: Behaviour,
  host: HostRuntime,
  envoy: Envoy,
  listener: SocketEntry,
  first: Delivered,
  req: Request,
  current: Flight,
): Outcome {
  const original = originalDestination(envoy, first);
  const to = `${original.address}:${original.port}`;
  const key = `${host.name}/${envoy.name}/${to}`;
  const rounds = req.chain.filter((k) => k === key).length;
  if (rounds >= b.settings.loopLimit)
    return reportLoop(b, host, envoy, to, rounds + 1, current.packet);
  const inbound = listener.local.port === envoy.inboundPort;
  const v6 = original.address.includes(':');
  const bind = inbound
    ? { address: v6 ? (envoy.inboundBind6 ?? '::6') : envoy.inboundBind }
    : undefined;
  const from = bind ? ` from ${bind.address}` : '';
  const side = `${inbound ? 'inbound' : 'outbound'} (${listener.local.port})`;
  note(
    b,
    `${envoy.name} (uid ${envoy.uid}) accepts on its ${side} listener; original destination ${to} by ${original.how}; opens a NEW connection${from}`,
    current,
    'proxy-opens-new-connection',
  );
  return b.open(
    {
      host,
      process: envoy,
      bind,
      mark: envoy.tproxy?.mark ?? 0,
      transparent: envoy.tproxy !== undefined,
    },
    {
      to: { address: original.address, port: original.port },
      protocol: 'tcp',
      payload: req.payload,
      traffic: req.traffic,
      // The connection envoy accepted is the one whose packet it is reading now.
      parent: b.rec.steps[b.rec.steps.length - 1]?.connectionId,
      chain: [...req.chain, key],
      label: `${envoy.name}@${host.name} → ${to}${from}`,
    },
  );
}
