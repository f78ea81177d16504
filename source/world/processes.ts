/**
 * What the processes behind listeners do with a request. A server and the DNS proxy answer;
 * envoy never rewrites a packet: it accepts the redirected connection, reads where it was going
 * (SO_ORIGINAL_DST from conntrack, or the local address under TPROXY) and opens a NEW
 * connection there — from 127.0.0.6 (::6) inbound, as its own uid outbound. If that new
 * connection keeps coming back to it, that is a loop, reported with the rules on the cycle.
 */

import type { AnswerSize, LoopCause, ProcessEvent, StraySegment } from '../model/index.js';
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

/** What came of a request: the response's size, or nothing (the trace says why). */
export type Outcome = { readonly ok: true; readonly response: number } | { readonly ok: false };

export const FAILED: Outcome = { ok: false };

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
  /** The scenario's own name for the connection, if it gives one. */
  readonly label?: string;
  /** The source address a proxy chose for its new connection. */
  readonly proxyBind?: string;
  /** The traffic item's stray segment, sent after the answer (proxies send none). */
  readonly stray?: StraySegment;
}

/** What a process may do from inside a connection. */
export interface Behaviour {
  readonly rec: TraceRecorder;
  readonly settings: EngineSettings;
  open(opener: Opener, req: Request): Outcome;
}

export type Delivered = Arrival & { kind: 'delivered' };
export type Envoy = Extract<ProcessConfig, { kind: 'envoy' }>;

/** A process step: shown with the packet the process just read and its conntrack entry. */
export function note(b: Behaviour, event: ProcessEvent, current: Flight): number {
  const ct = current.ct;
  return b.rec.add(
    { kind: 'process', event },
    {
      packet: current.packet,
      conntrack: ct ? viewOf(ct.entry, ct.direction, current.untracked) : undefined,
    },
  );
}

/** The bytes a process answers a request with: fixed, or the request's own size (echo). */
function answerSize(size: AnswerSize | undefined, req: Request, fallback: number): number {
  return size === 'echo' ? req.payload : (size ?? fallback);
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
  if (!process) return FAILED;
  if (process.kind === 'server') {
    const response = answerSize(process.response, req, DEFAULT_RESPONSE);
    const event: ProcessEvent = {
      kind: 'answers',
      process: process.name,
      uid: process.uid,
      bytes: response,
    };
    note(b, event, current);
    return { ok: true, response };
  }
  if (process.kind === 'dns-proxy') {
    const response = answerSize(process.response, req, DEFAULT_DNS_RESPONSE);
    note(b, { kind: 'answers-dns', process: process.name, bytes: response }, current);
    return { ok: true, response };
  }
  if (process.kind !== 'envoy') return FAILED;
  const port = listener.local.port;
  if (port !== process.inboundPort && port !== process.outboundPort) {
    // Its own listeners (health 15021, stats 15090) are answered by envoy itself.
    note(b, { kind: 'answers-itself', process: process.name, port }, current);
    return { ok: true, response: DEFAULT_RESPONSE };
  }
  return proxy(b, host, process, listener, first, req, current);
}

/** Where the accepted connection was going before netfilter sent it to envoy. */
export function originalDestination(envoy: Envoy, first: Delivered) {
  const packet = first.flight.packet;
  const ct = first.flight.ct?.entry;
  const fromTproxy = envoy.tproxy !== undefined && first.flight.assigned !== undefined;
  const address =
    fromTproxy || !ct
      ? { address: packet.dst, port: packet.dport }
      : { address: ct.original.dst, port: ct.original.dport };
  const by: 'TPROXY' | 'SO_ORIGINAL_DST' = fromTproxy ? 'TPROXY' : 'SO_ORIGINAL_DST';
  return { ...address, by };
}

/** A loop as the proxy met it: where it was sent, how often, and why it keeps coming back. */
export interface Loop {
  readonly envoy: Envoy;
  readonly destination: string;
  readonly rounds: number;
  /** Absent: the proxy's new connection is redirected to it again. */
  readonly cause?: LoopCause;
}

/**
 * The proxy's traffic came back to it once too often: a loop. The rules on the cycle are those
 * that redirected what it accepted first (the redirect and the jump into its chain).
 */
export function reportLoop(
  b: Behaviour,
  host: HostRuntime,
  loop: Loop,
  first: Delivered,
  current: Flight,
): Outcome {
  const { envoy, destination, rounds, cause } = loop;
  const because = cause === undefined ? {} : { cause };
  const reason = { kind: 'loop', process: envoy.name, destination, rounds, ...because } as const;
  const step = b.rec.add(
    { kind: 'stop', reason },
    { packet: current.packet, conntrack: undefined },
  );
  b.rec.find({
    kind: 'loop',
    host: host.name,
    process: envoy.name,
    destination,
    rounds,
    steps: [step],
    rules: first.flight.redirectedBy ?? [],
    ...because,
  });
  return FAILED;
}

/** Connections each proxy of a run has accepted, by host and name; one table per recorder. */
const accepted = new WeakMap<TraceRecorder, Map<string, number>>();

/** Whether the proxy has accepted its maxConnections; else this one is counted. */
function atLimit(b: Behaviour, host: HostRuntime, envoy: Envoy): boolean {
  if (envoy.maxConnections === undefined) return false;
  const counts = accepted.get(b.rec) ?? new Map<string, number>();
  accepted.set(b.rec, counts);
  const key = `${host.name}/${envoy.name}`;
  const count = counts.get(key) ?? 0;
  if (count >= envoy.maxConnections) return true;
  counts.set(key, count + 1);
  return false;
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
    return reportLoop(b, host, { envoy, destination: to, rounds: rounds + 1 }, first, current);
  if (atLimit(b, host, envoy)) {
    const limit = envoy.maxConnections ?? 0;
    const port = listener.local.port;
    note(b, { kind: 'closes', process: envoy.name, uid: envoy.uid, port, limit }, current);
    return FAILED;
  }
  const inbound = listener.local.port === envoy.inboundPort;
  const v6 = original.address.includes(':');
  const bind = inbound
    ? { address: v6 ? (envoy.inboundBind6 ?? '::6') : envoy.inboundBind }
    : undefined;
  note(
    b,
    {
      kind: 'proxies',
      process: envoy.name,
      uid: envoy.uid,
      side: inbound ? 'inbound' : 'outbound',
      port: listener.local.port,
      original: { address: original.address, port: original.port },
      by: original.by,
      ...(bind?.address === undefined ? {} : { bind: bind.address }),
    },
    current,
  );
  return b.open(
    {
      host,
      process: envoy,
      bind,
      mark: envoy.mark ?? envoy.tproxy?.mark ?? 0,
      transparent: envoy.tproxy !== undefined,
    },
    {
      to: { address: original.address, port: original.port },
      protocol: 'tcp',
      payload: req.payload,
      traffic: req.traffic,
      // The connection envoy accepted is the one whose packet it is reading now.
      parent: b.rec.currentConnection,
      chain: [...req.chain, key],
      proxyBind: bind?.address,
    },
  );
}
