/**
 * A reader's place in a list of tokens, with the words of its errors: each failure says where,
 * what was expected and what was found. A failure inside a command abandons that command only
 * (NftSyntaxError is caught there), so `nfdb check` reports every bad line at once.
 */
import type { SourcePos } from '../../model/index.js';
import type { NftToken } from './tokens.js';

export class NftSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: SourcePos,
    readonly expected?: string,
    readonly found?: string,
  ) {
    super(message);
  }
}

export class Cursor {
  private i = 0;

  constructor(
    readonly tokens: readonly NftToken[],
    readonly file: string,
    /** Where the text ends, for "found the end of the line". */
    private readonly end: SourcePos,
  ) {}

  get index(): number {
    return this.i;
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(offset = 0): NftToken | undefined {
    return this.tokens[this.i + offset];
  }

  /** Whether the next token is this word (or punctuation). */
  is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind !== 'string' && t.text === text;
  }

  next(): NftToken | undefined {
    return this.tokens[this.i++];
  }

  /** Steps back over the token just read, so an error points at it. */
  back(): void {
    if (this.i > 0) this.i--;
  }

  accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.i++;
    return true;
  }

  pos(token = this.peek()): SourcePos {
    return token ? { file: this.file, line: token.line, column: token.column } : this.end;
  }

  fail(message: string, expected: string): never {
    const t = this.peek();
    throw new NftSyntaxError(message, this.pos(t), expected, t ? t.text : 'the end of the line');
  }

  expect(text: string, message: string): NftToken {
    const t = this.peek();
    if (!t || t.text !== text || t.kind === 'string') this.fail(message, `"${text}"`);
    this.i++;
    return t;
  }

  /** A word or quoted string. */
  word(message: string, expected: string): NftToken {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'string')) this.fail(message, expected);
    this.i++;
    return t;
  }

  /** A whole number. */
  integer(message: string): number {
    const t = this.word(message, 'a number');
    const v = /^-?\d+$/.test(t.text)
      ? Number(t.text)
      : /^0x[0-9a-f]+$/i.test(t.text)
        ? Number.parseInt(t.text, 16)
        : undefined;
    if (v === undefined) {
      this.i--;
      this.fail(message, 'a number');
    }
    return v;
  }
}
