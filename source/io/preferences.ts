/**
 * The user's preferences, kept by conf in its config directory (env-paths' layout:
 * $XDG_CONFIG_HOME/nfdb/config.json, else ~/.config/nfdb; NFDB_CONFIG_DIR overrides it, which
 * the tests use so they never touch a real home). Each preference is checked on its own: a bad
 * one falls back to its default with a warning naming it, never a crash. What the names inside
 * `keys` and `colors` mean is the UI's to say (commands/preferences.ts checks them).
 */
import { readFileSync } from 'node:fs';
import Conf from 'conf';
import { z } from 'zod';
import { configDirectory, type Env, preferencesPath } from './preferences-path.js';
import { parseJson } from './read-scenario.js';

export { preferencesPath };

/** Snapshots opened or saved, most recent first, as many as this. */
export const RECENT_LIMIT = 10;

export const PREFERENCE_SCHEMAS = {
  keys: z
    .record(z.string(), z.array(z.string()))
    .describe('key overrides: a command of the keymap and its keys'),
  theme: z.enum(['default', 'plain']).describe('default (colours) or plain (attributes only)'),
  colors: z.record(z.string(), z.string()).describe('colour overrides: a theme token and a colour'),
  defaultPreset: z.string().min(1).describe('the proxy preset used when none is given'),
  defaultScenario: z.string().min(1).describe('the scenario or snapshot opened when none is given'),
  recent: z.array(z.string()).describe('snapshots opened or saved, most recent first'),
} as const;

export type PreferenceName = keyof typeof PREFERENCE_SCHEMAS;
export const PREFERENCE_NAMES = Object.keys(PREFERENCE_SCHEMAS) as PreferenceName[];

export interface Preferences {
  readonly keys: Readonly<Record<string, readonly string[]>>;
  readonly theme: 'default' | 'plain';
  readonly colors: Readonly<Record<string, string>>;
  readonly defaultPreset?: string;
  readonly defaultScenario?: string;
  readonly recent: readonly string[];
}

export const DEFAULT_PREFERENCES: Preferences = {
  keys: {},
  theme: 'default',
  colors: {},
  recent: [],
};

export interface LoadedPreferences {
  readonly preferences: Preferences;
  /** Each bad preference, named, with the default it fell back to. */
  readonly warnings: readonly string[];
  /** The file they live in. */
  readonly path: string;
  /** Whether the file can be written without losing what is in it (it is not broken JSON). */
  readonly writable: boolean;
}

function store(env: Env): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({
    projectName: 'nfdb',
    cwd: configDirectory(env),
    accessPropertiesByDotNotation: false,
  });
}

function found(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A value for one preference, or the message that refuses it. */
export function checkPreference(
  name: PreferenceName,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const parsed = PREFERENCE_SCHEMAS[name].safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  return {
    ok: false,
    message: `${name}${at}: ${issue?.message ?? 'invalid'}, found ${found(value)}`,
  };
}

/** The raw JSON object in the file, or why it is not one. */
function readRaw(
  path: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: true, value: {} };
  }
  const json = parseJson(text, path);
  if (!json.ok) return { ok: false, message: json.error };
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value))
    return {
      ok: false,
      message: `${path}: expected an object of preferences, found ${found(json.value)}`,
    };
  return { ok: true, value: json.value as Record<string, unknown> };
}

export function loadPreferences(env: Env = process.env): LoadedPreferences {
  const path = preferencesPath(env);
  const raw = readRaw(path);
  if (!raw.ok)
    return {
      preferences: DEFAULT_PREFERENCES,
      warnings: [`nfdb: preferences: ${raw.message}; using the defaults`],
      path,
      writable: false,
    };
  const warnings: string[] = [];
  const out: Record<string, unknown> = { ...DEFAULT_PREFERENCES };
  for (const [name, value] of Object.entries(raw.value)) {
    if (!(PREFERENCE_NAMES as string[]).includes(name)) {
      warnings.push(
        `nfdb: preferences: unknown preference ${JSON.stringify(name)} in ${path}, ignored`,
      );
      continue;
    }
    const checked = checkPreference(name as PreferenceName, value);
    if (checked.ok) out[name] = checked.value;
    else warnings.push(`nfdb: preferences: ${checked.message}; using the default`);
  }
  return { preferences: out as unknown as Preferences, warnings, path, writable: true };
}

/** Sets one preference (already checked by the caller), through conf: an atomic write. */
export function setPreference(name: PreferenceName, value: unknown, env: Env = process.env): void {
  store(env).set(name, value);
}

/** Puts `path` first in the recent snapshots; quietly does nothing when the file is broken. */
export function rememberRecent(path: string, env: Env = process.env): void {
  const loaded = loadPreferences(env);
  if (!loaded.writable) return;
  const recent = [path, ...loaded.preferences.recent.filter((p) => p !== path)].slice(
    0,
    RECENT_LIMIT,
  );
  try {
    setPreference('recent', recent, env);
  } catch {
    // Remembering is a convenience: a read-only config directory must not stop the command.
  }
}
