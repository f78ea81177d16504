/**
 * JSON.stringify in pieces. A trace of a few thousand connections is hundreds of megabytes of
 * JSON, past the longest string V8 can make ("Invalid string length"): the outer arrays and
 * objects are written piece by piece, and only the values `depth` levels down (a step, a packet)
 * are made whole. The text is the one JSON.stringify makes, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

/**
 * JSON.stringify cannot write a number it cannot hold, so a JsonInteger is written as a string
 * with this mark, and the mark and quotes are taken off the text. The random part keeps any
 * string of the user's from passing for one.
 */
const MARK = `\u0000integer-${randomBytes(6).toString('hex')}:`;
/** The mark as JSON.stringify writes it (`\\u0000integer-…:`), and a marked value with its quotes. */
const MARK_TEXT = JSON.stringify(MARK).slice(1, -1);
const MARKED = new RegExp(`"${MARK_TEXT.replace('\\', '\\\\')}(\\d+)"`, 'g');

/**
 * A whole number written into the JSON as its digits, exactly: a 64-bit counter past 2^53,
 * which a JS number rounds (JSON sets no limit; Go's uint64, Python and jq 1.7 read it exactly).
 */
export class JsonInteger {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return `${MARK}${this.digits}`;
  }
}

/** JSON.stringify, with JsonIntegers as bare digits. */
function stringify(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return text?.includes(MARK_TEXT) ? text.replace(MARKED, '$1') : text;
}

/** The pieces of `JSON.stringify(value)`; undefined at the top gives no piece, like it. */
export function* jsonPieces(value: unknown, depth = 2): Generator<string> {
  const v = toJsonValue(value);
  if (depth <= 0 || v === null || typeof v !== 'object') {
    const text = stringify(v);
    if (text !== undefined) yield text;
    return;
  }
  if (Array.isArray(v)) {
    yield '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) yield ',';
      // In an array, what JSON.stringify leaves out (undefined, a function) becomes null.
      if (skipped(toJsonValue(v[i]))) yield 'null';
      else yield* jsonPieces(v[i], depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(v)) {
    if (skipped(toJsonValue(item))) continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(item, depth - 1);
  }
  yield '}';
}

function toJsonValue(value: unknown): unknown {
  const withToJson = value as { toJSON?: () => unknown } | null;
  return typeof withToJson?.toJSON === 'function' ? withToJson.toJSON() : value;
}

function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** How much text is gathered before it is written: few writes, and little held at once. */
const CHUNK = 1 << 16;

/**
 * Writes `value` as JSON and a newline, waiting whenever the stream asks to (a slow reader at the
 * end of a pipe), so that the whole text is never held at once.
 */
export async function writeJson(stream: NodeJS.WritableStream, value: unknown): Promise<void> {
  let buffer = '';
  for (const piece of jsonPieces(value)) {
    buffer += piece;
    if (buffer.length < CHUNK) continue;
    const more = stream.write(buffer);
    buffer = '';
    if (!more) await once(stream, 'drain');
  }
  stream.write(`${buffer}\n`);
}
