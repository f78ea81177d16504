/**
 * Real packets beside the simulation, as the UI receives them (`nfdb live --trace`): plain data,
 * a new value each time the kernel traced more. The kernel is read in source/io/live and the
 * paths compared in source/trace; the UI only subscribes and draws.
 */
import type { Beside } from '../../trace/real-beside.js';

export interface RealPaths {
  /** The filter as the user gave it: `tcp port 9080`. */
  readonly filter: string;
  /** The nft table that marks the packets, which goes when nfdb ends. */
  readonly table: string;
  /** Packets `nft monitor trace` reported so far. */
  readonly traced: number;
  /** Each connection that entered the captured host, its real path beside the simulated one. */
  readonly beside: readonly Beside[];
  /** Why tracing stopped, when it has (the monitor ended); undefined while it records. */
  readonly stopped?: string;
}

export interface RealFeed {
  current(): RealPaths;
  /** Calls `changed` whenever `current()` has a new value; returns how to stop. */
  subscribe(changed: () => void): () => void;
}
