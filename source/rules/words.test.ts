import { describe, expect, it } from 'vitest';
import { bareName, nameWord, optionWord } from './words.js';

/** optionWord / nameWord on the whole of `word`, placed inside a line as the tokenizer sees it. */
const option = (word: string) => optionWord(`x ${word} y`, 2, 2 + word.length);
const name = (word: string) => nameWord(`x ${word} y`, 2, 2 + word.length);

describe('the option words of a rule line', () => {
  it('knows the generic options, long and short', () => {
    for (const w of ['-A', '--append', '-p', '--protocol', '-j', '--goto', '-c', '--src']) {
      expect(option(w)).toBe(w);
    }
  });

  it("knows the options of the registry's modules", () => {
    // --dport (tcp/udp), --to-ports (REDIRECT), --comment (comment), --uid-owner (owner).
    for (const w of ['--dport', '--to-ports', '--comment', '--uid-owner'])
      expect(option(w)).toBe(w);
  });

  it('does not take a longer or shorter word for a known one', () => {
    expect(option('--dportx')).toBeUndefined();
    expect(option('--dpor')).toBeUndefined();
    expect(option('--no-such-option')).toBeUndefined();
    expect(option('-')).toBeUndefined();
  });

  it('reads the word only between start and end', () => {
    expect(optionWord('-A OUTPUT', 0, 2)).toBe('-A');
    expect(optionWord('--dport80', 0, 7)).toBe('--dport');
  });
});

describe('nameWord', () => {
  it('knows modules, targets, verdicts and protocols', () => {
    for (const w of ['tcp', 'comment', 'REDIRECT', 'ACCEPT', 'RETURN', 'all']) {
      expect(name(w)).toBe(w);
    }
  });

  it('does not know a user chain name', () => {
    expect(name('KUBE-SERVICES')).toBeUndefined();
    expect(name('accept')).toBeUndefined();
  });
});

describe('bareName', () => {
  it('drops one or two leading dashes', () => {
    expect(bareName('--dport')).toBe('dport');
    expect(bareName('-A')).toBe('A');
    expect(bareName('--not-a-known-option')).toBe('not-a-known-option');
    expect(bareName('-z')).toBe('z');
  });
});
