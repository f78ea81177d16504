/**
 * How much input fits in the memory nfdb runs in. Node stops a program at its heap limit
 * (v8's heap_size_limit, about a quarter of the machine's memory by default) with a fatal
 * "JavaScript heap out of memory" after minutes of garbage collection; an input that would get
 * there is refused before it is read, with what would make it fit.
 *
 * The figure per byte is measured, and is the most a byte takes across the shapes of input:
 *  - kube-proxy dumps (lines of about 110 bytes): `nfdb run --rules` on a 170k-service dump
 *    (435 MB) completes under a 2.8 GB old space, about 7 bytes for each byte of its text, the
 *    text included; the UI, searched and stepped for 40 s, under 3.4 GB (about 8);
 *  - short lines (`-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT`, 44 bytes): `check` of 10.5 MB
 *    runs out of a 120 MB heap and loads in 128 MB, about 12 bytes a byte.
 * 14 covers both: a budget near the kube-proxy figure would let the short lines crash.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Heap a byte of rules text takes, loaded and simulated (measured up to 12, see above). */
export const HEAP_PER_INPUT_BYTE = 14;

export interface HeapLimit {
  /** The bytes of heap the program may use. */
  readonly bytes: number;
  /** Where the figure comes from: Node's v8 limit, or the machine (Bun's heap has no limit). */
  readonly source: 'v8' | 'machine';
}

/** This process's heap limit. */
export function heapLimit(): HeapLimit {
  // Bun reports a heap_size_limit that it does not enforce: its heap grows with the machine.
  if (process.versions.bun !== undefined) return { bytes: totalmem(), source: 'machine' };
  return { bytes: getHeapStatistics().heap_size_limit, source: 'v8' };
}

/** The largest input that fits in `limit`. */
export function inputThatFits(limit: HeapLimit = heapLimit()): number {
  return Math.floor(limit.bytes / HEAP_PER_INPUT_BYTE);
}

const MB = 1024 * 1024;

/** `1.5 GB`, `358 MB`: as a person reads a size. */
function size(bytes: number): string {
  return bytes >= 1024 * MB
    ? `${(bytes / (1024 * MB)).toFixed(1)} GB`
    : `${Math.round(bytes / MB)} MB`;
}

/**
 * Why an input of `bytes` (undefined: not known, standard input) is refused at `max`, the
 * default limit: the heap it would need against the one there is, and what makes it fit.
 */
export function tooLargeForHeap(
  max: number,
  bytes: number | undefined,
  limit: HeapLimit = heapLimit(),
): string {
  const machine = limit.source === 'machine';
  const where = machine ? "this machine's memory" : "this Node's heap";
  const need = bytes === undefined ? undefined : bytes * HEAP_PER_INPUT_BYTE;
  const needs =
    need === undefined
      ? `more than ${size(max)} of rules, the most its ${size(limit.bytes)} hold`
      : `${size(bytes as number)} of rules needs about ${size(need)} (${HEAP_PER_INPUT_BYTE} bytes a byte), and it has ${size(limit.bytes)}`;
  if (machine) return `too large to load in ${where}: ${needs}; --max-size reads it anyway`;
  // Node's flag takes MB: the estimate (or twice the heap) and a quarter more, in hundreds.
  const flag = Math.ceil(((need ?? limit.bytes * 2) * 1.25) / MB / 100) * 100;
  return `too large to load in ${where}: ${needs}; NODE_OPTIONS=--max-old-space-size=${flag} makes room if the machine has the memory, or the single binary (npm run compile) has no such limit; --max-size reads it anyway`;
}
