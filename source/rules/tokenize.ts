/**
 * Splits one line into words the way iptables-restore does (add_param_to_argv): spaces
 * separate, double or single quotes group, a backslash escapes the next character inside
 * quotes. Hand-written charCode scanning: this runs on every line of a 230,000-line dump.
 */

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
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === 13) {
      i++;
      continue;
    }
    const start = i;
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
        return { ok: false, column: open + 1, message: 'unterminated quoted string' };
      }
      plainFrom = i;
    }
    if (plainFrom < i)
      text = text === '' ? line.slice(plainFrom, i) : text + line.slice(plainFrom, i);
    tokens.push({ text, column: start + 1, quoted });
  }
  return { ok: true, tokens };
}
