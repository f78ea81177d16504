import { describe, expect, it } from 'vitest';
import { caretAt, editLine, type Line, lineWindow, typeAt } from './prompt-line.js';

const RULE = '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN';

/** The line after the edits in order, written with a `|` at the caret. */
function shown(line: Line, ...edits: (Parameters<typeof editLine>[1] | { type: string })[]) {
  const done = edits.reduce<Line>(
    (l, e) => (typeof e === 'string' ? editLine(l, e) : typeAt(l, e.type)),
    line,
  );
  const at = caretAt(done);
  const list = [...done.input];
  return `${list.slice(0, at).join('')}|${list.slice(at).join('')}`;
}

describe('the prompt line', () => {
  it('has its caret at the end until it is moved', () => {
    expect(shown({ input: 'abc' })).toBe('abc|');
    expect(shown({ input: 'abc' }, 'left', 'left')).toBe('a|bc');
    expect(shown({ input: 'abc' }, 'home', 'right')).toBe('a|bc');
    expect(shown({ input: 'abc' }, 'home', 'end')).toBe('abc|');
    expect(shown({ input: 'abc' }, 'home', 'left')).toBe('|abc');
    expect(shown({ input: 'abc' }, 'right')).toBe('abc|');
  });

  it('types and deletes at the caret', () => {
    expect(shown({ input: 'ac' }, 'left', { type: 'b' })).toBe('ab|c');
    expect(shown({ input: 'abc' }, 'left', 'backspace')).toBe('a|c');
    expect(shown({ input: 'abc' }, 'home', 'backspace')).toBe('|abc');
    expect(shown({ input: 'abc' }, 'home', 'delete')).toBe('|bc');
    expect(shown({ input: 'abc' }, 'delete')).toBe('abc|');
  });

  it('deletes the word before the caret, and the blanks before it, with ctrl-w', () => {
    expect(shown({ input: RULE }, 'word', 'word')).toBe(
      '-A ISTIO_OUTPUT -m owner --uid-owner 1337 |',
    );
    const at1337 = [...'-j RETURN'].map(() => 'left' as const);
    expect(shown({ input: RULE }, ...at1337, 'word')).toBe(
      '-A ISTIO_OUTPUT -m owner --uid-owner |-j RETURN',
    );
    expect(shown({ input: 'one   ' }, 'word')).toBe('|');
  });

  it('puts the caret at the end of a line replaced by anything else', () => {
    const moved = editLine({ input: 'abc' }, 'home');
    expect(caretAt(moved)).toBe(0);
    expect(caretAt({ ...moved, input: '-t nat ' })).toBe(7);
  });

  it('shows the end of a long line while typing there, and scrolls to keep the caret in view', () => {
    const line = 'abcdefghij';
    expect(lineWindow(line, 10, 5)).toEqual({ start: 6, before: 'ghij', under: ' ', after: '' });
    expect(lineWindow(line, 2, 5)).toEqual({ start: 2, before: '', under: 'c', after: 'defg' });
    expect(lineWindow('ab', 1, 10)).toEqual({ start: 0, before: 'a', under: 'b', after: '' });
  });
});
