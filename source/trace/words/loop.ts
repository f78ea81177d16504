/** Why a proxy's connections loop, in words, from the facts loopCause gathers. */

/** The facts of a loop's cause: who loops into which listener, and what did not let it out. */
export interface LoopCause {
  readonly process: string;
  /** The proxy's listener its own connection re-enters (15001). */
  readonly port: number;
  readonly destination: string;
  readonly rounds: number;
  /** The owner of the looping packets, as `-m owner` sees them. */
  readonly uid?: number;
  readonly gid?: number;
  /** The source address the proxy bound its connection to (127.0.0.6 inbound), if it did. */
  readonly source?: string;
  /** The chain the packets left for the redirect from (ISTIO_OUTPUT): nothing there let them out. */
  readonly chain?: string;
}

/**
 * `envoy's own connection re-enters 15001 with the same original destination 10.0.0.3:9080
 * (round 4): nothing in ISTIO_OUTPUT returns uid 1337 or gid 1337`.
 */
export function loopCauseText(c: LoopCause): string {
  const head = `${c.process}'s own connection re-enters ${c.port} with the same original destination ${c.destination} (round ${c.rounds})`;
  if (c.chain === undefined || c.uid === undefined) return head;
  const what = [
    `uid ${c.uid}`,
    ...(c.gid === undefined ? [] : [`gid ${c.gid}`]),
    ...(c.source === undefined ? [] : [`source ${c.source}`]),
  ];
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} or ${what.at(-1)}` : what[0];
  return `${head}: nothing in ${c.chain} returns ${list}`;
}
