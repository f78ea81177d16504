/**
 * Splits one line into words the way iptables-restore does (add_param_to_argv): spaces
 * separate, double or single quotes group, a backslash escapes the next character inside
 * quotes. Hand-written charCode scanning: this runs on every line of a 230,000-line dump.
 */

import { optionWord } from './words.js';

export interface Token {
  readonly text: string;
  /** 1-based column of the token's first character. */
  readonly column: number;
  /** Quoted text is always a value, even when it starts with "-" or is "!". */
  readonly quoted: boolean;
}

export type TokenizeResult =
  | { readonly ok: true; readonly tokens: Token[] }
  | { readonly ok: false; readonly column: number; readonly message: string };

const SPACE = 32;
const TAB = 9;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

export function tokenize(line: string): TokenizeResult {
  const tokens: Token[] = [];
  const failed = scan(line, tokens, undefined);
  return failed === 0
    ? { ok: true, tokens }
    : { ok: false, column: failed, message: 'unterminated quoted string' };
}

interface MutableToken {
  text: string;
  column: number;
  quoted: boolean;
}

/**
 * Token objects reused from line to line: a reader that keeps only the tokens' texts and
 * columns (never a token) can tokenize a large file without a fresh object per word.
 */
export class TokenPool {
  readonly free: MutableToken[] = [];
}

/**
 * tokenize() with the token objects taken from `pool`: the tokens are valid until the next call
 * with the same pool. Returns the tokens, or the column of an unterminated quote.
 */
export function tokenizePooled(line: string, pool: TokenPool): Token[] | number {
  const tokens: Token[] = [];
  const failed = scan(line, tokens, pool.free);
  return failed === 0 ? tokens : failed;
}

/** Splits `line` into `tokens`; returns 0, or the 1-based column of an unterminated quote. */
function scan(line: string, tokens: Token[], pool: MutableToken[] | undefined): number {
  const n = line.length;
  let i = 0;
  // Fast path for a line with spaces as its only separators: a word without a quote in it ends
  // at the next space, found by indexOf (native) rather than one charCodeAt per character.
  const spacesOnly = line.indexOf('\t') < 0 && line.indexOf('\r') < 0;
  let nextQuote = spacesOnly ? firstQuote(line, 0) : -1;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (spacesOnly) {
      if (nextQuote >= 0 && nextQuote < i) nextQuote = firstQuote(line, i);
      let end = line.indexOf(' ', i);
      if (end < 0) end = n;
      if (nextQuote < 0 || nextQuote >= end) {
        const text =
          c === 45 /* - */
            ? (optionWord(line, start, end) ?? line.slice(start, end))
            : line.slice(start, end);
        pushToken(tokens, pool, text, start + 1, false);
        i = end;
        continue;
      }
    }
    let text = '';
    let quoted = false;
    let plainFrom = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === SPACE || c === TAB || c === 13) break;
      if (c !== DQUOTE && c !== SQUOTE) {
        i++;
        continue;
      }
      if (plainFrom < i) text += line.slice(plainFrom, i);
      quoted = true;
      const quote = c;
      const open = i;
      i++;
      // Fast path: no backslash before the closing quote, so the quoted text is one slice (a
      // comment built character by character would be a deep cons string kept in the model).
      const close = line.indexOf(quote === DQUOTE ? '"' : "'", i);
      if (close >= 0) {
        const backslash = line.indexOf('\\', i);
        if (backslash < 0 || backslash > close) {
          text = text === '' ? line.slice(i, close) : text + line.slice(i, close);
          i = close + 1;
          plainFrom = i;
          continue;
        }
      }
      let closed = false;
      while (i < n) {
        c = line.charCodeAt(i);
        if (c === BACKSLASH && i + 1 < n) {
          text += line[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          i++;
          break;
        }
        text += line[i];
        i++;
      }
      if (!closed) {
        return open + 1;
      }
      plainFrom = i;
    }
    if (!quoted && line.charCodeAt(start) === 45 /* - */)
      // An option word: one constant string for the known ones (see words.ts).
      text = optionWord(line, start, i) ?? line.slice(start, i);
    else if (plainFrom < i)
      text = text === '' ? line.slice(plainFrom, i) : text + line.slice(plainFrom, i);
    pushToken(tokens, pool, text, start + 1, quoted);
  }
  return 0;
}

/** The first `"` or `'` at or after `from`, or -1. */
function firstQuote(line: string, from: number): number {
  const d = line.indexOf('"', from);
  const s = line.indexOf("'", from);
  return d < 0 ? s : s < 0 || d < s ? d : s;
}

function pushToken(
  tokens: Token[],
  pool: MutableToken[] | undefined,
  text: string,
  column: number,
  quoted: boolean,
): void {
  if (pool) {
    let token = pool[tokens.length];
    if (token) {
      token.text = text;
      token.column = column;
      token.quoted = quoted;
    } else {
      token = { text, column, quoted };
      pool.push(token);
    }
    tokens.push(token);
  } else tokens.push({ text, column, quoted });
}
