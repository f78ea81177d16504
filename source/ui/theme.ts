/**
 * Every colour the UI uses, by what it means. Components name a token, never a colour, so a
 * theme (or NO_COLOR) changes them all at once. With NO_COLOR set, to any value, tokens keep
 * their attributes (inverse, dim) and lose their colours: https://no-color.org.
 */
export interface Style {
  readonly color?: string;
  readonly backgroundColor?: string;
  readonly inverse?: boolean;
  readonly dimColor?: boolean;
}

export type Token =
  /** The border of the pane the keys scroll, and of the overlays. */
  | 'focused'
  | 'unfocused'
  /** The chain pane's first line: where the chain is (host, stack). */
  | 'heading'
  /** The rule under evaluation, and the cursor's row in the timeline. */
  | 'current'
  /** The chain row selected for the what-if keys, apart from the rule under evaluation. */
  | 'selected'
  /** Rules this packet matched so far. */
  | 'matched'
  /** Counters that moved at this very step. */
  | 'changedCounter'
  /** What this step changed in the packet. */
  | 'changedPacket'
  /** The connection and the place the cursor is in, on the path strip. */
  | 'lit'
  /** Secondary text: the footer, column names, placeholders. */
  | 'muted'
  /** A diff's lines: what a what-if took out of the rules, and what it put in. */
  | 'removed'
  | 'added'
  /** An edit that did not apply, under the line that made it. */
  | 'error';

export type Theme = Readonly<Record<Token, Style>>;

const COLOURS: Theme = {
  focused: { color: 'cyan' },
  unfocused: { color: 'gray' },
  heading: { color: 'cyan' },
  current: { inverse: true },
  selected: { color: 'cyan' },
  matched: { color: 'green' },
  changedCounter: { color: 'yellow' },
  changedPacket: { color: 'magenta' },
  lit: { color: 'black', backgroundColor: 'cyan' },
  muted: { dimColor: true },
  removed: { color: 'red' },
  added: { color: 'green' },
  error: { color: 'red' },
};

function withoutColour({ color: _c, backgroundColor: _b, ...rest }: Style): Style {
  return rest;
}

const PLAIN: Theme = {
  ...(Object.fromEntries(
    Object.entries(COLOURS).map(([token, style]) => [token, withoutColour(style)]),
  ) as Record<Token, Style>),
  // Its background was all that told the lit chip apart.
  lit: { inverse: true },
};

export function themeFor(env: Readonly<Record<string, string | undefined>>): Theme {
  return env.NO_COLOR === undefined ? COLOURS : PLAIN;
}

/**
 * The theme every component draws with. A live binding, set once before the first render from
 * the preferences (setTheme): the theme is process-wide, as NO_COLOR is, and components import
 * it directly instead of threading it through every prop.
 */
export let theme: Theme = themeFor(process.env);

export function setTheme(chosen: Theme): void {
  theme = chosen;
}
