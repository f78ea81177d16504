/**
 * Splits an nft script into tokens the way nft's scanner sees what matters to a reader: words,
 * quoted strings, the punctuation that shapes blocks and sets (`{ } ; ,`), and line ends, which
 * end a command or a rule. A `#` comment is skipped, except `# handle N`, which `nft -a` prints
 * after a table, chain or rule and which names it.
 */

export type NftTokenKind = 'word' | 'string' | 'punct' | 'newline' | 'handle';

export interface NftToken {
  readonly kind: NftTokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const PUNCT = new Set(['{', '}', ';', ',']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/** Tokens of `text`; an unterminated string becomes an error at its opening quote. */
export function tokenizeNft(text: string): {
  tokens: NftToken[];
  errors: { line: number; column: number }[];
} {
  const tokens: NftToken[] = [];
  const errors: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const column = i - lineStart + 1;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line, column });
      i++;
      line++;
      lineStart = i;
    } else if (isSpace(c)) {
      i++;
    } else if (c === '\\' && text[i + 1] === '\n') {
      // A continued line: nft reads on.
      i += 2;
      line++;
      lineStart = i;
    } else if (c === '#') {
      const end = text.indexOf('\n', i);
      const comment = text.slice(i + 1, end < 0 ? n : end).trim();
      const handle = /^handle (\d+)$/.exec(comment);
      if (handle) tokens.push({ kind: 'handle', text: handle[1] as string, line, column });
      i = end < 0 ? n : end;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) {
        errors.push({ line, column });
        i = nl < 0 ? n : nl;
        continue;
      }
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), line, column });
      i = end + 1;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, line, column });
      i++;
    } else {
      let j = i;
      while (j < n) {
        const d = text[j] as string;
        if (d === '\n' || isSpace(d) || PUNCT.has(d) || d === '"') break;
        j++;
      }
      tokens.push({ kind: 'word', text: text.slice(i, j), line, column });
      i = j;
    }
  }
  return { tokens, errors };
}
