import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  loadPreferences,
  preferencesPath,
  RECENT_LIMIT,
  rememberRecent,
  setPreference,
} from './preferences.js';

const freshEnv = () => ({ NFDB_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'nfdb-config-')) });

function withFile(text: string) {
  const env = freshEnv();
  writeFileSync(preferencesPath(env), text);
  return env;
}

describe('preferences', () => {
  it('live where NFDB_CONFIG_DIR says, else in XDG_CONFIG_HOME/nfdb', () => {
    expect(preferencesPath({ NFDB_CONFIG_DIR: '/c' })).toBe('/c/config.json');
    expect(preferencesPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/nfdb/config.json');
  });

  it('are the defaults when there is no file', () => {
    const loaded = loadPreferences(freshEnv());
    expect(loaded.preferences).toEqual(DEFAULT_PREFERENCES);
    expect(loaded.warnings).toEqual([]);
  });

  it('are written by conf and read back', () => {
    const env = freshEnv();
    setPreference('theme', 'plain', env);
    setPreference('keys', { 'step.next': ['x'] }, env);
    expect(JSON.parse(readFileSync(preferencesPath(env), 'utf8'))).toEqual({
      theme: 'plain',
      keys: { 'step.next': ['x'] },
    });
    expect(loadPreferences(env).preferences).toMatchObject({
      theme: 'plain',
      keys: { 'step.next': ['x'] },
    });
  });

  it('fall back one by one, with a warning naming the bad one', () => {
    const env = withFile(
      JSON.stringify({ theme: 'pink', recent: 'x', defaultPreset: 'istio', wat: 1 }),
    );
    const loaded = loadPreferences(env);
    expect(loaded.preferences).toEqual({ ...DEFAULT_PREFERENCES, defaultPreset: 'istio' });
    expect(loaded.warnings).toEqual([
      'nfdb: preferences: theme: Invalid option: expected one of "default"|"plain", found "pink"; using the default',
      'nfdb: preferences: recent: Invalid input: expected array, received string, found "x"; using the default',
      `nfdb: preferences: unknown preference "wat" in ${loaded.path}, ignored`,
    ]);
    expect(loaded.writable).toBe(true);
  });

  it('fall back whole on a broken file, with its line and column, and are not rewritten', () => {
    const env = withFile('{"theme": "plain",\n');
    const loaded = loadPreferences(env);
    expect(loaded.preferences).toEqual(DEFAULT_PREFERENCES);
    expect(loaded.warnings).toEqual([
      `nfdb: preferences: ${loaded.path}:2:1: not valid JSON: expected a property name in double quotes, found the end of the input; using the defaults`,
    ]);
    expect(loaded.writable).toBe(false);
    rememberRecent('/some/snapshot.json', env);
    expect(readFileSync(loaded.path, 'utf8')).toBe('{"theme": "plain",\n');
  });

  it('remember recent snapshots, most recent first, without repeats, up to a limit', () => {
    const env = freshEnv();
    mkdirSync(env.NFDB_CONFIG_DIR, { recursive: true });
    for (let i = 0; i < RECENT_LIMIT + 2; i++) rememberRecent(`/s/${i}.json`, env);
    rememberRecent('/s/5.json', env);
    const recent = loadPreferences(env).preferences.recent;
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent.slice(0, 3)).toEqual([
      '/s/5.json',
      `/s/${RECENT_LIMIT + 1}.json`,
      `/s/${RECENT_LIMIT}.json`,
    ]);
  });
});
