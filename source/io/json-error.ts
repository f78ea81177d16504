/**
 * Where a JSON text first goes wrong, and what was expected there. JSON.parse says so only in
 * some messages ("at position N"), and Node 20 quotes the whole input in others; jsonc-parser's
 * scanner gives an offset and an error code for every syntax error.
 */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

export interface JsonSyntaxError {
  /** Offset into the text (UTF-16 code units). */
  readonly position: number;
  readonly expected: string;
}

/** By jsonc-parser's error names (its codes are a const enum, out of reach here). */
const EXPECTED: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a value (object, array, string, number, true, false or null)',
  ValueExpected: 'a value (object, array, string, number, true, false or null)',
  PropertyNameExpected: 'a property name in double quotes',
  ColonExpected: '":"',
  CommaExpected: '"," or the end of the list',
  CloseBraceExpected: '"}"',
  CloseBracketExpected: '"]"',
  EndOfFileExpected: 'the end of the input after the top-level value',
  UnexpectedEndOfString: 'a closing "',
  UnexpectedEndOfNumber: 'a digit',
  InvalidUnicode: 'four hex digits after \\u',
  InvalidEscapeCharacter: 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
  InvalidCharacter: 'no control character inside a string',
  InvalidCommentToken: 'no comment: JSON has none',
};

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function findJsonError(text: string): JsonSyntaxError | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return undefined;
  const code = printParseErrorCode(first.error);
  return { position: within(text, first, code), expected: EXPECTED[code] ?? 'valid JSON' };
}

/** jsonc-parser points at the start of a bad string; the culprit is inside it. */
function within(text: string, error: ParseError, code: string): number {
  const end = error.offset + error.length;
  if (code === 'InvalidCharacter') {
    for (let i = error.offset + 1; i < end; i++) if (text.charCodeAt(i) < 0x20) return i;
  }
  if (code === 'InvalidEscapeCharacter' || code === 'InvalidUnicode') {
    const slash = text.indexOf('\\', error.offset + 1);
    if (slash >= 0 && slash < end) return slash;
  }
  return error.offset;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** A short, printable quote of what stands at `position`: no newlines, no raw control bytes. */
export function excerptAt(text: string, position: number): string {
  if (position >= text.length) return 'the end of the input';
  const word = /^[A-Za-z0-9_.+-]{1,16}/.exec(text.slice(position, position + 16));
  const piece = word ? word[0] : String.fromCodePoint(text.codePointAt(position) ?? 0);
  return `"${escapeText(piece)}"`;
}

/** Printable ASCII stays; everything else becomes \n, \t, \xNN or \uNNNN. */
export function escapeText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x100) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0xfffd) out += '\\ufffd';
    else if (c < 0x10000 && /\p{L}|\p{N}|\p{P}|\p{S}/u.test(ch)) out += ch;
    else out += `\\u{${c.toString(16)}}`;
  }
  return out;
}
