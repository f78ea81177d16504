import type { PacketInfo, Step, Trace } from '../../model/index.js';

/** The packet a step belongs to (packet ids are 1-based positions in trace.packets). */
export function packetOf(trace: Trace, step: Step | undefined): PacketInfo | undefined {
  return step ? trace.packets[step.packetId - 1] : undefined;
}
