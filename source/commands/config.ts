/**
 * `nfdb config` prints where the preferences and the saved snapshots live and every preference's
 * value; `nfdb config set KEY VALUE` changes one, checked first: a value the UI could not use is
 * refused (exit 1) instead of stored.
 */
import {
  checkPreference,
  loadPreferences,
  PREFERENCE_NAMES,
  type PreferenceName,
  setPreference,
} from '../io/preferences.js';
import { savedDirectory } from '../io/snapshot-store.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { colourProblem, keymapWithOverrides, keyNameOf, overrideProblem } from './preferences.js';

function show(ctx: CommandContext): number {
  const loaded = loadPreferences();
  for (const w of loaded.warnings) ctx.stderr.write(`${w}\n`);
  const lines = [
    `preferences  ${loaded.path}`,
    `snapshots    ${savedDirectory()}`,
    '',
    ...PREFERENCE_NAMES.map((name) => {
      const value = loaded.preferences[name];
      return `${name} = ${value === undefined ? '(not set)' : JSON.stringify(value)}`;
    }),
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

const SETTABLE = 'theme, colors.TOKEN, keys.COMMAND, defaultPreset, defaultScenario';

/** KEY and VALUE as the preference's name and its new whole value, or why not. */
function newValue(
  key: string,
  value: string,
  current: ReturnType<typeof loadPreferences>['preferences'],
): { name: PreferenceName; value: unknown } | { code: number; message: string } {
  const [head, ...restParts] = key.split('.');
  const rest = restParts.join('.');
  if (head === 'keys' && rest !== '') {
    const keys = value.split(/[\s,]+/).filter((k) => k !== '');
    // A space key is written as the word "space": the value is split at spaces and commas.
    const problem = overrideProblem(rest, keys);
    if (problem) return { code: EXIT_BAD_INPUT, message: problem };
    const all = { ...current.keys, [rest]: keys.map((k) => keyNameOf(k) ?? k) };
    // A key another command has would be ignored at start-up: refuse it now, where it is typed.
    const clash = keymapWithOverrides(all).warnings.find((w) => w.includes(`keys.${rest}:`));
    if (clash)
      return {
        code: EXIT_BAD_INPUT,
        message: clash.replace(/^nfdb: preferences: (.*); ignored$/, '$1'),
      };
    return { name: 'keys', value: all };
  }
  if (head === 'colors' && rest !== '') {
    const problem = colourProblem(rest, value);
    if (problem) return { code: EXIT_BAD_INPUT, message: problem };
    return { name: 'colors', value: { ...current.colors, [rest]: value } };
  }
  if (key === 'theme' || key === 'defaultPreset' || key === 'defaultScenario')
    return { name: key, value };
  return { code: EXIT_MISUSE, message: `no preference ${JSON.stringify(key)} to set: ${SETTABLE}` };
}

function set(ctx: CommandContext, key: string, value: string): number {
  const loaded = loadPreferences();
  if (!loaded.writable) {
    for (const w of loaded.warnings) ctx.stderr.write(`${w}\n`);
    ctx.stderr.write(`nfdb config: not changing ${loaded.path}: mend or remove it first\n`);
    return EXIT_BAD_INPUT;
  }
  const next = newValue(key, value, loaded.preferences);
  if ('code' in next) {
    ctx.stderr.write(`nfdb config: ${next.message}\n`);
    return next.code;
  }
  const checked = checkPreference(next.name, next.value);
  if (!checked.ok) {
    ctx.stderr.write(`nfdb config: ${checked.message}\n`);
    return EXIT_BAD_INPUT;
  }
  setPreference(next.name, checked.value);
  ctx.stdout.write(`${key} = ${JSON.stringify(value)} (in ${loaded.path})\n`);
  return EXIT_OK;
}

export function configCommand(ctx: CommandContext): number {
  const [verb, key, value, ...extra] = ctx.args;
  if (verb === undefined) return show(ctx);
  if (verb === 'set' && key !== undefined && value !== undefined && extra.length === 0)
    return set(ctx, key, value);
  ctx.stderr.write('nfdb config: expected nothing, or set KEY VALUE (see nfdb help config)\n');
  return EXIT_MISUSE;
}
