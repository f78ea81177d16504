/**
 * A JSON value with where it stands: its path (`nftables[3].rule.expr[1].match.left`) and its
 * line and column, for errors that point into `nft -j` output (often one long line). Built on
 * jsonc-parser's tree, which keeps every value's offset.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { SourcePos } from '../../model/index.js';
import { NftSyntaxError } from './cursor.js';

/** Offsets to lines and columns, by a binary search over line starts (inputs can be large). */
class Lines {
  private readonly starts: number[] = [0];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  pos(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

/** What a JSON value is, in words, for "found …". */
function describe(node: Node): string {
  if (node.type === 'string') return String(node.value);
  if (node.type === 'number' || node.type === 'boolean') return String(node.value);
  return node.type;
}

export class JsonAt {
  constructor(
    readonly node: Node,
    readonly path: string,
    private readonly lines: Lines,
  ) {}

  get pos(): SourcePos {
    return this.lines.pos(this.node.offset);
  }

  /** A failure here: the message names the path, so one long line still says where. */
  fail(message: string, expected: string): never {
    throw new NftSyntaxError(
      `${message} (at ${this.path})`,
      this.pos,
      expected,
      describe(this.node),
    );
  }

  get isObject(): boolean {
    return this.node.type === 'object';
  }

  get isArray(): boolean {
    return this.node.type === 'array';
  }

  get isNull(): boolean {
    return this.node.type === 'null';
  }

  /** The keys of an object, in order. */
  keys(): string[] {
    if (!this.isObject) return [];
    return (this.node.children ?? []).map((p) => String(p.children?.[0]?.value));
  }

  get(key: string): JsonAt | undefined {
    if (!this.isObject) return undefined;
    const property = (this.node.children ?? []).find((p) => p.children?.[0]?.value === key);
    const value = property?.children?.[1];
    return value ? new JsonAt(value, `${this.path}.${key}`, this.lines) : undefined;
  }

  need(key: string, expected: string): JsonAt {
    const v = this.get(key);
    if (!v) this.fail(`missing "${key}"`, expected);
    return v;
  }

  items(): JsonAt[] {
    if (!this.isArray) return [];
    return (this.node.children ?? []).map(
      (n, i) => new JsonAt(n, `${this.path}[${i}]`, this.lines),
    );
  }

  /** `{ "key": value }`, the shape of every nft object, statement and expression. */
  single(expected: string): { key: string; value: JsonAt } {
    const keys = this.keys();
    if (keys.length !== 1) this.fail('expected an object with one key', expected);
    const key = keys[0] as string;
    return { key, value: this.get(key) as JsonAt };
  }

  string(expected: string): string {
    if (this.node.type !== 'string') this.fail(`expected ${expected}`, expected);
    return String(this.node.value);
  }

  number(expected: string): number {
    if (this.node.type !== 'number' || !Number.isInteger(this.node.value))
      this.fail(`expected ${expected}`, expected);
    return this.node.value as number;
  }

  /** A string or number, as text. */
  scalar(): string | undefined {
    if (this.node.type === 'string' || this.node.type === 'number') return String(this.node.value);
    return undefined;
  }

  optionalString(key: string): string | undefined {
    return this.get(key)?.string(`a string for "${key}"`);
  }

  optionalNumber(key: string): number | undefined {
    return this.get(key)?.number(`a number for "${key}"`);
  }

  /** The digits of a whole number as written: a count past 2^53 is rounded once parsed. */
  optionalDigits(key: string): string | undefined {
    const v = this.get(key);
    if (!v) return undefined;
    v.number(`a whole number for "${key}"`);
    return this.lines.text.slice(v.node.offset, v.node.offset + v.node.length);
  }

  /** A string or a list of strings (`"flags": "fully-random"` or `["random", "persistent"]`). */
  strings(key: string): string[] {
    const v = this.get(key);
    if (!v) return [];
    if (v.isArray) return v.items().map((i) => i.string('a string'));
    return [v.string('a string or a list of strings')];
  }
}

/** The parsed root, or the first syntax error as a thrown NftSyntaxError. */
export function jsonRoot(text: string, file: string): JsonAt {
  const lines = new Lines(text, file);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first || !root)
    throw new NftSyntaxError(
      `not valid JSON: ${first ? printParseErrorCode(first.error) : 'no value'}`,
      lines.pos(first?.offset ?? 0),
      'nft -j list ruleset output',
    );
  return new JsonAt(root, '$', lines);
}
