import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions, and a swap of neighbours as one', () => {
    expect(editDistance('RETURN', 'RETURN')).toBe(0);
    expect(editDistance('RETRUN', 'RETURN')).toBe(1);
    expect(editDistance('ISTIO_OUTPU', 'ISTIO_OUTPUT')).toBe(1);
    expect(editDistance('ACCPET', 'ACCEPT')).toBe(1);
    expect(editDistance('DORP', 'DROP')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('nearest', () => {
  it('finds the known word a typo was meant to be, ignoring case', () => {
    expect(nearest('RETRUN', ['ACCEPT', 'DROP', 'RETURN'])).toBe('RETURN');
    expect(nearest('--dprot', ['--sport', '--dport', '--syn'])).toBe('--dport');
    expect(nearest('runn', ['check', 'run', 'help'])).toBe('run');
    expect(nearest('istio_output', ['ISTIO_OUTPUT', 'OUTPUT'])).toBe('ISTIO_OUTPUT');
  });

  it('suggests nothing for a word unlike any, or for short words two edits away', () => {
    expect(nearest('frobnicate', ['ACCEPT', 'DROP', 'RETURN'])).toBeUndefined();
    expect(nearest('xy', ['run'])).toBeUndefined();
    expect(nearest('-z', ['-x', '-h'])).toBeUndefined();
    expect(nearest('RETURN', ['RETURN'])).toBeUndefined();
  });

  it('words the suggestion for a message', () => {
    expect(didYouMean('RETRUN', ['RETURN'])).toBe(': did you mean RETURN?');
    expect(didYouMean('zzz', ['RETURN'])).toBe('');
  });
});
