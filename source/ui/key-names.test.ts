import { describe, expect, it } from 'vitest';
import { keyNames } from './key-names.js';

describe('keyNames', () => {
  it('splits a burst into its keys, Enter included', () => {
    expect(keyNames('15\r', {})).toEqual(['1', '5', 'return']);
  });

  // oven-sh/bun#42509: a compiled Bun program on Linux could read a NUL nobody typed.
  it('drops a NUL inside a burst, so a prompt never receives it', () => {
    expect(keyNames('\x0015\r', {})).toEqual(['1', '5', 'return']);
    expect(keyNames('l\x00l', {})).toEqual(['l', 'l']);
  });

  it('drops a lone NUL, which Ink reads as Ctrl with the name `', () => {
    expect(keyNames('`', { ctrl: true })).toEqual([]);
    expect(keyNames('\x00', {})).toEqual([]);
  });

  it('keeps the keys a NUL is not', () => {
    expect(keyNames('`', {})).toEqual(['`']);
    expect(keyNames('c', { ctrl: true })).toEqual(['ctrl-c']);
  });

  it('names home and end, which move the caret in a prompt', () => {
    expect(keyNames('', { home: true })).toEqual(['home']);
    expect(keyNames('', { end: true })).toEqual(['end']);
  });
});
