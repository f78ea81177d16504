/**
 * A table of values by string key that is searched with a range of a larger text, so that a
 * reader can ask "is `text[from..to)` a key?" without slicing the range into a string first.
 * The save reader asks it for every comment and jump target of a 230,000-line dump, most of
 * them in tables of 50,000 keys or more.
 *
 * Hand-written hot path: open addressing over one typed array of (entry, hash) pairs, so that a
 * probe reads one small array and compares characters only when the hashes agree; a key added
 * with its place in the text being searched is compared there, without reading the key string.
 * A Map would need the range as a string, and a fresh string's hash costs as much as a find.
 */

const EMPTY = 0;

/** FNV-1a over the character codes of `text[from..to)`. */
function hashRange(text: string, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

export class TextTable<V> {
  /** Per slot, two numbers: the entry index + 1 (EMPTY: a free slot) and the key's hash. */
  private slots = new Int32Array(2048);
  private mask = 1023;
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  /** Per entry, two numbers: where its key is in `source` (-1: not there), and its length. */
  private entries: Int32Array = new Int32Array(2048);
  /** The hash of the range of the last find(): add() after a miss does not hash it again. */
  private lastHash = 0;

  /** `source`: the text most finds search (keys found in it are compared in it). */
  constructor(private source = '') {}

  get size(): number {
    return this.keys.length;
  }

  /** The value kept for the key `text[from..to)`, if any. */
  find(text: string, from: number, to: number): V | undefined {
    const h = hashRange(text, from, to);
    this.lastHash = h;
    const n = to - from;
    const mask = this.mask;
    const slots = this.slots;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[2 * s] as number;
      if (e === EMPTY) return undefined;
      if (slots[2 * s + 1] === h && this.keyAt(e - 1, text, from, n)) return this.values[e - 1];
    }
  }

  /** Whether entry `e`'s key is `text[from..from + n)`. */
  private keyAt(e: number, text: string, from: number, n: number): boolean {
    if (this.entries[2 * e + 1] !== n) return false;
    const at = this.entries[2 * e] as number;
    if (at < 0 || text !== this.source) return text.startsWith(this.keys[e] as string, from);
    for (let k = 0; k < n; k++) {
      if (text.charCodeAt(at + k) !== text.charCodeAt(from + k)) return false;
    }
    return true;
  }

  /**
   * Keeps `value` for `key` (a key kept twice is found with its first value). `afterFind`: `key`
   * is the range the last find() missed, whose hash is known. `at`: where `key` is in the
   * source text, if it is there.
   */
  add(key: string, value: V, afterFind = false, at = -1): void {
    const entry = this.keys.length;
    if ((entry + 1) * 2 > this.mask + 1) this.grow();
    if (2 * entry === this.entries.length) {
      const more = new Int32Array(entry * 4);
      more.set(this.entries);
      this.entries = more;
    }
    this.keys.push(key);
    this.values.push(value);
    this.entries[2 * entry] = at;
    this.entries[2 * entry + 1] = key.length;
    this.place(afterFind ? this.lastHash : hashRange(key, 0, key.length), entry + 1);
  }

  /** Forgets every key; `source`: the text the next finds search. */
  clear(source = this.source): void {
    this.source = source;
    if (this.keys.length === 0) return;
    this.keys.length = 0;
    this.values.length = 0;
    this.slots.fill(EMPTY);
  }

  private place(h: number, entry: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let s = h & mask;
    while (slots[2 * s] !== EMPTY) s = (s + 1) & mask;
    slots[2 * s] = entry;
    slots[2 * s + 1] = h;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const e = old[s] as number;
      if (e !== EMPTY) this.place(old[s + 1] as number, e);
    }
  }
}
