import { describe, expect, it } from 'vitest';
import { commandFor, DEFAULT_KEYMAP, type Keymap, keyConflicts } from './keymap.js';
import { footerText } from './view/footer-text.js';

describe('the keymap', () => {
  it('binds no key to two commands in the same mode', () => {
    expect(keyConflicts(DEFAULT_KEYMAP)).toEqual([]);
  });

  it('finds a clash, naming the mode, the key and both commands', () => {
    const clash: Keymap = {
      ...DEFAULT_KEYMAP,
      'search.next': { description: 'next search match', keys: { browse: ['*', 'n'] } },
    };
    expect(keyConflicts(clash)).toEqual([
      { mode: 'browse', key: 'n', commands: ['packet.next', 'search.next'] },
    ]);
  });

  it('gives a key the command of the mode it is pressed in', () => {
    expect(commandFor(DEFAULT_KEYMAP, 'browse', 'q')).toBe('quit');
    expect(commandFor(DEFAULT_KEYMAP, 'help', 'q')).toBe('help.close');
    expect(commandFor(DEFAULT_KEYMAP, 'findings', 'q')).toBe('findings.close');
    expect(commandFor(DEFAULT_KEYMAP, 'findings', 'return')).toBe('findings.jump');
    expect(commandFor(DEFAULT_KEYMAP, 'search', 'q')).toBeUndefined();
    expect(commandFor(DEFAULT_KEYMAP, 'goto', 'return')).toBe('prompt.accept');
  });

  it('writes the footer from the table, pairs under one label', () => {
    expect(footerText(DEFAULT_KEYMAP)).toBe(
      '? help  f findings  q/ctrl-c quit  left/h right/l step  n packet  c conn  g G/e start/end  : goto  / search  t traffic  tab pane',
    );
  });
});
