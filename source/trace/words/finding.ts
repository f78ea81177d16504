/** Findings and connections in words. */
import type { ConnectionInfo, Finding } from '../../model/index.js';
import { HYPOTHESIS_TEXT, loopCauseText, stopText } from './verdict.js';

/** `envoy on reviews re-opens 10.0.0.3:9080 into its own listener (4 rounds)`. */
export function findingText(f: Finding): string {
  if (f.kind === 'loop' && f.cause !== undefined)
    return `${f.process} on ${f.host} rewrites the packet for ${f.destination}, and it comes back to its own listener (${f.rounds} rounds): ${loopCauseText(f.process, f.cause)}`;
  if (f.kind === 'loop')
    return `${f.process} on ${f.host} re-opens ${f.destination} into its own listener (${f.rounds} rounds)`;
  if (f.kind === 'rewritten-reply-lost')
    return `the ${f.label} reply of connection ${f.connection} does not reach the client: ${f.process} on ${f.host} rewrote the connection's packets instead of accepting it, so no socket of its holds the connection the reply belongs to`;
  if (f.kind === 'forward-loop') return forwardLoopText(f.hops, f.forwards);
  if (f.kind === 'hypothesis')
    return `${f.process} on ${f.host} rewrites packets instead of opening connections: ${HYPOTHESIS_TEXT}`;
  return stopText(f.reason);
}

/** `a → b → a`: the hosts forward the packet to each other until its TTL runs out. */
export function forwardLoopText(hops: readonly string[], forwards?: number): string {
  const first = hops[0];
  const cycle = first === undefined ? '' : [...hops, first].join(' → ');
  const times = forwards === undefined ? '' : ` (forwarded ${forwards} times)`;
  return `forwarding loop ${cycle}: the hosts route the packet to each other until its TTL runs out${times}`;
}

/** The scenario's name for a connection, or `productpage@productpage → 10.0.0.2:9080`. */
export function connectionLabel(c: ConnectionInfo): string {
  if (c.label !== undefined) return c.label;
  const from = c.proxyBind === undefined ? '' : ` from ${c.proxyBind}`;
  return `${c.fromProcess}@${c.fromHost} → ${c.to.address}:${c.to.port}${from}`;
}
