/** Findings and connections in words. */
import type { ConnectionInfo, Finding } from '../../model/index.js';
import { stopText } from './verdict.js';

/** `envoy on reviews re-opens 10.0.0.3:9080 into its own listener (4 rounds)`. */
export function findingText(f: Finding): string {
  if (f.kind === 'loop')
    return `${f.process} on ${f.host} re-opens ${f.destination} into its own listener (${f.rounds} rounds)`;
  return stopText(f.reason);
}

/** The scenario's name for a connection, or `productpage@productpage → 10.0.0.2:9080`. */
export function connectionLabel(c: ConnectionInfo): string {
  if (c.label !== undefined) return c.label;
  const from = c.proxyBind === undefined ? '' : ` from ${c.proxyBind}`;
  return `${c.fromProcess}@${c.fromHost} → ${c.to.address}:${c.to.port}${from}`;
}
