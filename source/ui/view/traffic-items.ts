import type { ConnectionInfo, Trace } from '../../model/index.js';

/** What the traffic picker lists: the connections the scenario's traffic opened itself. */
export function trafficItems(trace: Trace): ConnectionInfo[] {
  return trace.connections.filter((c) => c.parent === undefined);
}

/** Where picking an item goes: its connection's first step. */
export function trafficStep(trace: Trace, item: ConnectionInfo): number {
  return trace.packets.find((p) => p.connectionId === item.id)?.firstStep ?? 0;
}
