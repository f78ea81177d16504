import { describe, expect, it } from 'vitest';
import { type Token, TokenPool, tokenize, tokenizePooled } from './tokenize.js';

/** The tokens of a line that must tokenize, as [text, column, quoted] triples. */
function words(line: string): [string, number, boolean][] {
  const r = tokenize(line);
  if (!r.ok) throw new Error(`refused ${JSON.stringify(line)}: ${r.message} at ${r.column}`);
  return r.tokens.map((t) => [t.text, t.column, t.quoted]);
}

describe('tokenize splits a rule line as iptables-restore does (add_param_to_argv)', () => {
  it('separates words by spaces and gives each its 1-based column', () => {
    expect(words('-A OUTPUT -p tcp  --dport 80')).toEqual([
      ['-A', 1, false],
      ['OUTPUT', 4, false],
      ['-p', 11, false],
      ['tcp', 14, false],
      ['--dport', 19, false],
      ['80', 27, false],
    ]);
  });

  it('takes tabs and a trailing carriage return (a CRLF file) as separators', () => {
    expect(words('-N\tKUBE-SVC\r')).toEqual([
      ['-N', 1, false],
      ['KUBE-SVC', 4, false],
    ]);
  });

  it('keeps a double-quoted comment as one word, starting at its opening quote', () => {
    // A real kube-proxy line (corpus/kubernetes/kube-proxy-overall-multiple-services.rules).
    expect(
      words('-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -j REJECT'),
    ).toEqual([
      ['-A', 1, false],
      ['KUBE-SERVICES', 4, false],
      ['-m', 18, false],
      ['comment', 21, false],
      ['--comment', 29, false],
      ['ns6/svc6:p80 has no endpoints', 39, true],
      ['-j', 71, false],
      ['REJECT', 74, false],
    ]);
  });

  it('reads single quotes too (files of shell commands), and joins quoted and plain parts', () => {
    expect(words(`--comment 'a b'`)).toEqual([
      ['--comment', 1, false],
      ['a b', 11, true],
    ]);
    expect(words('ab"c d"e')).toEqual([['abc de', 1, true]]);
  });

  it('unescapes a backslash inside quotes', () => {
    expect(words(String.raw`--comment "say \"hi\" \\ now"`)).toEqual([
      ['--comment', 1, false],
      ['say "hi" \\ now', 11, true],
    ]);
  });

  it('marks a quoted "!" or "-x" as a value, an unquoted one as a word', () => {
    expect(words(`! "!" "-x" -x`)).toEqual([
      ['!', 1, false],
      ['!', 3, true],
      ['-x', 7, true],
      ['-x', 12, false],
    ]);
  });

  it('gives an empty line no tokens', () => {
    expect(words('')).toEqual([]);
    expect(words('   \t ')).toEqual([]);
  });

  it('refuses an unterminated quote at the column of the quote that opened it', () => {
    expect(tokenize('-m comment --comment "never closed')).toEqual({
      ok: false,
      column: 22,
      message: 'unterminated quoted string',
    });
    expect(tokenize(`--comment 'open`)).toMatchObject({ ok: false, column: 11 });
  });
});

describe('tokenizePooled', () => {
  it('gives the same words as tokenize, reusing its token objects from line to line', () => {
    const pool = new TokenPool();
    const first = tokenizePooled('-A INPUT -j ACCEPT', pool) as Token[];
    const firstObject = first[0];
    expect(first.map((t) => t.text)).toEqual(['-A', 'INPUT', '-j', 'ACCEPT']);
    const second = tokenizePooled('-P "FORWARD X" DROP', pool) as Token[];
    expect(second.map((t) => [t.text, t.column, t.quoted])).toEqual([
      ['-P', 1, false],
      ['FORWARD X', 4, true],
      ['DROP', 16, false],
    ]);
    expect(second[0]).toBe(firstObject);
  });

  it('returns the column of an unterminated quote', () => {
    expect(tokenizePooled('-A X "abc', new TokenPool())).toBe(6);
  });
});
