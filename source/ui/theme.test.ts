import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setTheme, theme, themeFor } from './theme.js';

const UI = new URL('.', import.meta.url).pathname;
const COLOUR = /['"](black|red|green|yellow|blue|magenta|cyan|white|gray|grey|#[0-9a-f]{3,6})['"]/i;

describe('the theme', () => {
  it('has colours by default, and none at all with NO_COLOR set to anything', () => {
    expect(themeFor({}).matched.color).toBe('green');
    for (const value of ['1', ''])
      for (const style of Object.values(themeFor({ NO_COLOR: value }))) {
        expect(style.color).toBeUndefined();
        expect(style.backgroundColor).toBeUndefined();
      }
  });

  it('is the one the preferences chose once set, for every component that imports it', () => {
    const before = theme;
    const chosen = { ...themeFor({}), matched: { color: 'blue' } };
    setTheme(chosen);
    expect(theme.matched.color).toBe('blue');
    setTheme(before);
  });

  it('keeps the lit chip apart without colour', () => {
    expect(themeFor({ NO_COLOR: '1' }).lit).toEqual({ inverse: true });
  });

  it('is the only file of the UI that names a colour', () => {
    const files = readdirSync(UI, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.test.tsx'),
    );
    const naming = files.filter(
      (f) => f !== 'theme.ts' && COLOUR.test(readFileSync(join(UI, f), 'utf8')),
    );
    expect(naming).toEqual([]);
  });
});
