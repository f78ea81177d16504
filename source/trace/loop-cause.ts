/**
 * The facts behind a loop finding: the listener the proxy's own connection re-enters, the
 * owner of its packets (what `-m owner` sees) and the chain they left for the redirect from.
 */
import type { Finding, Trace } from '../model/index.js';
import { packetSteps } from './summary.js';
import type { LoopCause } from './words/loop.js';

export function loopCause(trace: Trace, f: Finding & { kind: 'loop' }): LoopCause | undefined {
  const stop = trace.steps[f.steps[0] ?? -1];
  const packet = stop && trace.packets.find((p) => p.id === stop.packetId);
  if (!packet) return undefined;
  const socket = packetSteps(trace, packet).find(
    (s) => s.kind === 'socket' && s.process === f.process,
  );
  if (socket?.kind !== 'socket') return undefined;
  // The stop may come at a later packet; only the connection's first went through nat.
  const first = trace.packets.find((p) => p.connectionId === packet.connectionId) ?? packet;
  const jump = packetSteps(trace, first).find(
    (s) => s.kind === 'rule' && s.matched && s.ruleId === f.rules[0],
  );
  const bind = trace.connections.find((c) => c.id === packet.connectionId)?.proxyBind;
  return {
    process: f.process,
    port: socket.local.port,
    destination: f.destination,
    rounds: f.rounds,
    ...(packet.sender ? { uid: packet.sender.uid, gid: packet.sender.gid } : {}),
    ...(jump?.kind === 'rule' ? { chain: jump.chain } : {}),
    ...(bind === undefined ? {} : { source: bind }),
  };
}
