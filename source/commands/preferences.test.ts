import { describe, expect, it } from 'vitest';
import { commandFor, DEFAULT_KEYMAP, keysOf } from '../ui/keymap.js';
import { themeFor } from '../ui/theme.js';
import { keymapWithOverrides, keyNameOf, themeWithPreferences } from './preferences.js';

describe('key binding preferences', () => {
  it('rebind a command in every mode it works in', () => {
    const { keymap, warnings } = keymapWithOverrides({ 'step.next': ['z', 'right'] });
    expect(warnings).toEqual([]);
    expect(commandFor(keymap, 'browse', 'z')).toBe('step.next');
    expect(commandFor(keymap, 'help', 'z')).toBe('step.next');
    expect(commandFor(keymap, 'browse', 'l')).toBeUndefined();
    expect(keysOf(keymap, 'step.prev')).toEqual(keysOf(DEFAULT_KEYMAP, 'step.prev'));
  });

  it('take the words people write for keys', () => {
    expect(keyNameOf('space')).toBe(' ');
    expect(keyNameOf('Enter')).toBe('return');
    expect(keyNameOf('ctrl-d')).toBe('ctrl-d');
    expect(keyNameOf('pagedown')).toBe('pagedown');
    expect(keyNameOf('xy')).toBeUndefined();
    const { keymap } = keymapWithOverrides({ 'page.down': ['space', 'f'] });
    expect(commandFor(keymap, 'browse', ' ')).toBe('page.down');
  });

  it('fall back with a warning naming an unknown command or key', () => {
    const { keymap, warnings } = keymapWithOverrides({
      'step.nxt': ['x'],
      'step.prev': ['banana'],
      'packet.next': ['m'],
    });
    expect(keysOf(keymap, 'step.prev')).toEqual(keysOf(DEFAULT_KEYMAP, 'step.prev'));
    expect(commandFor(keymap, 'browse', 'm')).toBe('packet.next');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^nfdb: preferences: keys: "step.nxt" is no command \(the commands: step.next, /,
    );
    expect(warnings[1]).toMatch(
      /^nfdb: preferences: keys.step.prev: "banana" is no key name .*; ignored$/,
    );
  });

  it('refuse a key another command has in the same mode, since one would hide the other', () => {
    const { keymap, warnings } = keymapWithOverrides({ 'step.next': ['q'] });
    expect(commandFor(keymap, 'browse', 'l')).toBe('step.next');
    expect(commandFor(keymap, 'browse', 'q')).toBe('quit');
    expect(warnings).toEqual([
      `nfdb: preferences: keys.step.next: "q" is quit's key in browse mode; ignored`,
    ]);
  });
});

describe('theme preferences', () => {
  it('pick the plain theme, or colours with overrides', () => {
    expect(themeWithPreferences({ theme: 'plain', colors: {} }, {}).theme).toEqual(
      themeFor({ NO_COLOR: '1' }),
    );
    const { theme, warnings } = themeWithPreferences(
      { theme: 'default', colors: { matched: 'blue', heading: '#ff8800' } },
      {},
    );
    expect(warnings).toEqual([]);
    expect(theme.matched).toEqual({ color: 'blue' });
    expect(theme.heading).toEqual({ color: '#ff8800' });
    expect(theme.changedCounter).toEqual(themeFor({}).changedCounter);
  });

  it('lose every colour under NO_COLOR, whatever they say', () => {
    const { theme } = themeWithPreferences(
      { theme: 'default', colors: { matched: 'blue' } },
      { NO_COLOR: '' },
    );
    expect(theme).toEqual(themeFor({ NO_COLOR: '' }));
  });

  it('fall back with a warning naming an unknown token or colour', () => {
    const { theme, warnings } = themeWithPreferences(
      { theme: 'default', colors: { matchd: 'blue', matched: 'sky' } },
      {},
    );
    expect(theme).toEqual(themeFor({}));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^nfdb: preferences: colors: "matchd" is no theme token \(the tokens: focused, /,
    );
    expect(warnings[1]).toMatch(
      /^nfdb: preferences: colors.matched: "sky" is no colour .*; ignored$/,
    );
  });
});
