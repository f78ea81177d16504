/**
 * What the preferences mean to the UI: key overrides applied to the keymap's command table and
 * colour overrides to the theme, each checked against the names the UI knows. A bad override is
 * left out with a warning naming it; the rest still apply.
 */
import { loadPreferences, type Preferences } from '../io/preferences.js';
import { type Command, DEFAULT_KEYMAP, type Keymap, keyConflicts } from '../ui/keymap.js';
import { type Style, type Theme, type Token, themeFor } from '../ui/theme.js';

/** The key names the keymap uses besides a printable character and ctrl-<char>. */
const NAMED_KEYS = [
  'left',
  'right',
  'up',
  'down',
  'pageup',
  'pagedown',
  'tab',
  'shift-tab',
  'return',
  'escape',
  'backspace',
] as const;

/** Spellings people write for keys whose name is a character or a word of the keymap. */
const ALIASES: Readonly<Record<string, string>> = { space: ' ', enter: 'return', esc: 'escape' };

/** The keymap's name for what a user wrote, or undefined when it names no key. */
export function keyNameOf(written: string): string | undefined {
  const name = ALIASES[written.toLowerCase()] ?? written;
  if ((NAMED_KEYS as readonly string[]).includes(name)) return name;
  if (/^ctrl-[a-z]$/.test(name)) return name;
  return [...name].length === 1 && /^[\x21-\x7e ]$/.test(name) ? name : undefined;
}

export const isCommand = (name: string): name is Command => Object.hasOwn(DEFAULT_KEYMAP, name);

/** Why an override of `command` with `keys` cannot be taken, or undefined when it can. */
export function overrideProblem(command: string, keys: readonly string[]): string | undefined {
  if (!isCommand(command))
    return `keys: ${JSON.stringify(command)} is no command (the commands: ${Object.keys(DEFAULT_KEYMAP).join(', ')})`;
  if (keys.length === 0) return `keys.${command}: expected at least one key`;
  const bad = keys.find((k) => keyNameOf(k) === undefined);
  if (bad !== undefined)
    return `keys.${command}: ${JSON.stringify(bad)} is no key name (a character, ctrl-<letter>, space, or ${NAMED_KEYS.join(', ')})`;
  return undefined;
}

/** The binding with `keys` in every mode it already has keys in. */
function rebound(keymap: Keymap, command: Command, keys: readonly string[]): Keymap {
  const names = keys.map((k) => keyNameOf(k) ?? k);
  const modes = Object.keys(keymap[command].keys);
  const binding = {
    ...keymap[command],
    keys: Object.fromEntries(modes.map((m) => [m, names])),
  };
  return { ...keymap, [command]: binding };
}

/**
 * The keymap with the user's overrides. An override that names no command or key is left out;
 * so is one whose key another command already has in the same mode (the first would hide it).
 */
export function keymapWithOverrides(
  overrides: Preferences['keys'],
  base: Keymap = DEFAULT_KEYMAP,
): { keymap: Keymap; warnings: string[] } {
  const warnings: string[] = [];
  let keymap = base;
  for (const [command, keys] of Object.entries(overrides)) {
    const problem = overrideProblem(command, keys);
    if (problem !== undefined || !isCommand(command)) {
      warnings.push(`nfdb: preferences: ${problem}; ignored`);
      continue;
    }
    const next = rebound(keymap, command, keys);
    const clash = keyConflicts(next).find((c) => c.commands.includes(command));
    if (clash) {
      const other = clash.commands.find((c) => c !== command);
      warnings.push(
        `nfdb: preferences: keys.${command}: ${JSON.stringify(clash.key)} is ${other}'s key in ${clash.mode} mode; ignored`,
      );
      continue;
    }
    keymap = next;
  }
  return { keymap, warnings };
}

/** Colour names Ink (chalk) draws, besides #rrggbb. */
const COLOURS = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'grey',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
];

const isColour = (c: string) => COLOURS.includes(c) || /^#[0-9a-fA-F]{6}$/.test(c);

const TOKENS = Object.keys(themeFor({}));

/** Why `colour` cannot be given to `token`, or undefined when it can. */
export function colourProblem(token: string, colour: string): string | undefined {
  if (!TOKENS.includes(token))
    return `colors: ${JSON.stringify(token)} is no theme token (the tokens: ${TOKENS.join(', ')})`;
  if (!isColour(colour))
    return `colors.${token}: ${JSON.stringify(colour)} is no colour (${COLOURS.join(', ')} or #rrggbb)`;
  return undefined;
}

/**
 * The theme the preferences pick, with their colour overrides. NO_COLOR wins over both: with it
 * set there are no colours, whatever the preferences say.
 */
export function themeWithPreferences(
  preferences: Pick<Preferences, 'theme' | 'colors'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { theme: Theme; warnings: string[] } {
  const plain = env.NO_COLOR !== undefined || preferences.theme === 'plain';
  const base = themeFor(plain ? { NO_COLOR: '1' } : {});
  const warnings: string[] = [];
  const theme: Record<string, Style> = { ...base };
  for (const [token, colour] of Object.entries(preferences.colors)) {
    const problem = colourProblem(token, colour);
    if (problem !== undefined) {
      warnings.push(`nfdb: preferences: ${problem}; ignored`);
      continue;
    }
    if (!plain) theme[token] = { ...base[token as Token], color: colour };
  }
  return { theme: theme as Theme, warnings };
}

/** Everything the UI takes from the preferences, with every warning about them. */
export function uiPreferences(env: Readonly<Record<string, string | undefined>> = process.env): {
  keymap: Keymap;
  theme: Theme;
  warnings: string[];
} {
  const loaded = loadPreferences(env);
  const keys = keymapWithOverrides(loaded.preferences.keys);
  const colours = themeWithPreferences(loaded.preferences, env);
  return {
    keymap: keys.keymap,
    theme: colours.theme,
    warnings: [...loaded.warnings, ...keys.warnings, ...colours.warnings],
  };
}
