/**
 * Reading what a user names, within bounds: `/dev/zero`, `/dev/urandom`, a FIFO or a huge file
 * would otherwise be read until the machine runs out of memory. A path must be a regular file,
 * and no input is read past a size limit (`--max-size` raises it); standard input may be
 * anything, and is cut off at the limit.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { inputThatFits, tooLargeForHeap } from './heap-fit.js';

/**
 * What nfdb can load and simulate in this process's heap (see heap-fit.ts): about 350 MB of
 * rules in a default Node heap of 4 GB, where a 100,000-service kube-proxy dump is 250 MB.
 */
export const DEFAULT_MAX_SIZE = inputThatFits();

/** Why an input was not read; the message says it without the path. */
export class InputRefused extends Error {}

const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `--max-size` values: bytes, or with K, M or G (powers of 1024). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([KMG]?)B?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (UNITS[(m[2] ?? '').toUpperCase()] ?? 1);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `32 MB`, `1.5 GB`, `100 bytes`: the limit as a person reads it. */
export function sizeText(bytes: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** `bytes`: the input's size when it is known (a file), for the heap it would need. */
function tooLarge(max: number, bytes?: number): InputRefused {
  // The default limit is the heap's: say what the input needs and what would make it fit.
  if (max === DEFAULT_MAX_SIZE) return new InputRefused(tooLargeForHeap(max, bytes));
  return new InputRefused(
    `larger than ${sizeText(max)}, the limit of what nfdb reads (--max-size raises it)`,
  );
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'it is a directory';
  if (stats.isFIFO()) return 'it is a FIFO; pipe it to standard input instead (-)';
  if (stats.isCharacterDevice()) return 'it is a character device';
  if (stats.isBlockDevice()) return 'it is a block device';
  if (stats.isSocket()) return 'it is a socket';
  return 'it is not a regular file';
}

/** The bytes of the regular file at `path`, at most `max` of them. */
export function readFileLimited(path: string, max: number): Buffer {
  // Non-blocking: opening a FIFO would otherwise wait for a writer before it can be refused.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputRefused(kindOf(stats));
    if (stats.size > max) throw tooLarge(max, stats.size);
    // The file may grow while it is read: read one byte past the limit to see it.
    // Not zeroed: only what is read is returned (a 25 MB dump's zeroing was a tenth of its read).
    const buffer = Buffer.allocUnsafe(Math.min(max + 1, stats.size + 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > max) throw tooLarge(max);
        return readRest(fd, buffer, max);
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** A file that grew past its size while being read: the rest in chunks, up to the limit. */
function readRest(fd: number, start: Buffer, max: number): Buffer {
  const chunks = [start];
  let total = start.length;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks);
    total += n;
    if (total > max) throw tooLarge(max);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
}

/** Everything a stream gives, unless it is more than `max` bytes: then it is left unread. */
export async function readStreamLimited(
  stream: NodeJS.ReadableStream,
  max: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > max) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw tooLarge(max);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
