/**
 * Every key the UI knows, in one table: action → keys. The preferences issue can replace the
 * table (conf) without touching a component. Key names: a printable character, or one of
 * left right up down pageup pagedown tab shift-tab return escape backspace ctrl-c.
 */
export type Action =
  | 'stepForward'
  | 'stepBack'
  | 'nextPacket'
  | 'prevPacket'
  | 'nextConnection'
  | 'prevConnection'
  | 'end'
  | 'start'
  | 'goto'
  | 'focusNext'
  | 'focusPrev'
  | 'scrollDown'
  | 'scrollUp'
  | 'pageDown'
  | 'pageUp'
  | 'scrollRight'
  | 'scrollLeft'
  | 'frameOut'
  | 'frameIn'
  | 'nextChain'
  | 'prevChain'
  | 'search'
  | 'searchNext'
  | 'traffic'
  | 'help'
  | 'quit';

export type Keymap = Readonly<Record<Action, readonly string[]>>;

export const DEFAULT_KEYMAP: Keymap = {
  stepForward: ['right', 'l'],
  stepBack: ['left', 'h'],
  nextPacket: ['n'],
  prevPacket: ['N', 'p'],
  nextConnection: ['c'],
  prevConnection: ['C'],
  end: ['G', 'e'],
  start: ['g', 's'],
  goto: [':'],
  focusNext: ['tab'],
  focusPrev: ['shift-tab'],
  scrollDown: ['j', 'down'],
  scrollUp: ['k', 'up'],
  pageDown: ['pagedown', ' '],
  pageUp: ['pageup', 'b'],
  scrollRight: ['>'],
  scrollLeft: ['<'],
  frameOut: ['['],
  frameIn: [']'],
  nextChain: ['}'],
  prevChain: ['{'],
  search: ['/'],
  searchNext: ['*'],
  traffic: ['t'],
  help: ['?'],
  quit: ['q', 'ctrl-c'],
};

/** What each action does, for the help overlay and the footer. */
export const ACTION_HELP: Readonly<Record<Action, string>> = {
  stepForward: 'next step',
  stepBack: 'previous step',
  nextPacket: 'next packet',
  prevPacket: 'previous packet',
  nextConnection: 'next connection',
  prevConnection: 'previous connection',
  end: 'run to the end',
  start: 'back to the start',
  goto: 'go to step N',
  focusNext: 'next pane',
  focusPrev: 'previous pane',
  scrollDown: 'scroll the pane down',
  scrollUp: 'scroll the pane up',
  pageDown: 'page down',
  pageUp: 'page up',
  scrollRight: 'scroll the chain sideways, to read long matches',
  scrollLeft: 'scroll the chain back',
  frameOut: 'select the calling chain (stack frame out)',
  frameIn: 'select the called chain (stack frame in)',
  nextChain: "browse the host's next chain (counters at this step)",
  prevChain: "browse the host's previous chain",
  search: 'search a rule or step',
  searchNext: 'next search match',
  traffic: 'pick a traffic item',
  help: 'this help',
  quit: 'quit',
};

/** Ink's key flags, reduced to the names the keymap uses. */
export interface KeyFlags {
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
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
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl) return `ctrl-${input}`;
  return input;
}

export function actionFor(keymap: Keymap, name: string): Action | undefined {
  for (const [action, keys] of Object.entries(keymap) as [Action, readonly string[]][]) {
    if (keys.includes(name)) return action;
  }
  return undefined;
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
  const burst = !key.ctrl && !key.meta && input.length > 1 && !input.startsWith('\x1b');
  if (!burst) return [keyName(input, key)];
  return [...input].map((char) => CHAR_NAMES[char] ?? char);
}
