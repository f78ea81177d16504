/**
 * Ink's key events as the key names the keymap uses: one name a key, and a burst of typed
 * characters split into its keys.
 */
/** Ink's key flags, reduced to the names the keymap uses. */
export interface KeyFlags {
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export function keyName(input: string, key: KeyFlags): string {
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl) return `ctrl-${input}`;
  return input;
}

/** Control characters a terminal sends for keys, as they appear inside a burst of input. */
const CHAR_NAMES: Readonly<Record<string, string>> = {
  '\r': 'return',
  '\n': 'return',
  '\t': 'tab',
  '\x7f': 'backspace',
  '\b': 'backspace',
};

/**
 * The keys in one chunk of input. Keys typed faster than a frame, a paste, or tmux's
 * `send-keys 15 Enter` arrive as one chunk ("lll", "15\r"), which Ink hands over whole: each
 * character is its own key, Enter included. Escape sequences (arrows) come alone and keep Ink's
 * parse.
 */
export function keyNames(input: string, key: KeyFlags): string[] {
  if (isNul(input, key)) return [];
  const burst = !key.ctrl && !key.meta && input.length > 1 && !input.startsWith('\x1b');
  if (!burst) return [keyName(input, key)];
  return [...input].filter((char) => char !== NUL).map((char) => CHAR_NAMES[char] ?? char);
}

const NUL = '\0';

/**
 * A NUL is no key nfdb binds (a terminal sends it for Ctrl-Space), and Bun 1.4's compiled
 * programs on Linux were reported to read a NUL nobody typed (oven-sh/bun#42509): dropped, so
 * that it can neither run a command nor be typed into a prompt. Ink reads a lone NUL as
 * Ctrl with the name '`' (code 0 + 96).
 */
function isNul(input: string, key: KeyFlags): boolean {
  return input === NUL || (key.ctrl === true && input === '`');
}
