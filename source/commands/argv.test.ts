import { describe, expect, it } from 'vitest';
import { parseArgv } from './argv.js';
import { FLAGS } from './flags.js';

const parse = (...argv: string[]) => parseArgv(argv, FLAGS);

/** The flags given, without the defaults every parse has. */
function given(...argv: string[]) {
  const r = parse(...argv);
  if (!r.ok) throw new Error(r.message);
  const defaults = parse();
  if (!defaults.ok) throw new Error(defaults.message);
  const changed = Object.entries(r.flags).filter(
    ([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults.flags[k]),
  );
  return { input: r.input, flags: Object.fromEntries(changed), unknown: r.unknown };
}

describe('nfdb command line words', () => {
  it('gives every boolean its default and every repeatable flag an empty list', () => {
    const r = parse();
    expect(r).toMatchObject({ ok: true, input: [], unknown: [] });
    if (!r.ok) return;
    expect(r.flags).toMatchObject({ json: false, tui: true, exact: false, to: [], edit: [] });
    expect(r.flags).not.toHaveProperty('rules');
  });

  it('reads string flags with a space or an equals sign, in kebab or camel case', () => {
    expect(given('run', '--proxy-uid', '1337', '--seed=7', 'x.json')).toEqual({
      input: ['run', 'x.json'],
      flags: { proxyUid: '1337', seed: '7' },
      unknown: [],
    });
    expect(given('--proxyUid', '5').flags).toEqual({ proxyUid: '5' });
  });

  it('takes a negative number as a value, and a flag or - as no value', () => {
    expect(given('--step', '-1').flags).toEqual({ step: '-1' });
    expect(given('--step', '-1.5').flags).toEqual({ step: '-1.5' });
    expect(given('--rules', '-')).toMatchObject({ input: ['-'], flags: { rules: '' } });
    expect(given('--step', '--json').flags).toEqual({ step: '', json: true });
    expect(given('--rules').flags).toEqual({ rules: '' });
    expect(given('--rules=-').flags).toEqual({ rules: '-' });
  });

  it('gives --edit and --set the next word even when it starts with a dash', () => {
    expect(given('run', '--edit', '-t nat -D X 6', '--edit', '-A', '--set', '-x').flags).toEqual({
      edit: ['-t nat -D X 6', '-A'],
      set: ['-x'],
    });
  });

  it('collects a repeatable flag, and an empty value where one was left out', () => {
    expect(given('--to', 'a:1', '--to', 'b:2').flags).toEqual({ to: ['a:1', 'b:2'] });
    expect(given('--to').flags).toEqual({ to: [''] });
  });

  it('refuses a string flag given twice', () => {
    expect(parse('run', '--seed', '1', '--seed', '2')).toEqual({
      ok: false,
      message: 'the flag --seed can only be set once',
    });
    expect(parse('--proxy-uid', '1', '--proxy-uid=2')).toMatchObject({
      message: 'the flag --proxy-uid can only be set once',
    });
  });

  it('reads booleans: named, --no-, =true|false or a following true|false; the last wins', () => {
    expect(given('--no-tui').flags).toEqual({ tui: false });
    expect(given('--json', 'false', 'run')).toMatchObject({ flags: {}, input: ['run'] });
    expect(given('--json=true').flags).toEqual({ json: true });
    expect(given('--json', 'x')).toMatchObject({ flags: { json: true }, input: ['x'] });
    expect(given('--no-tui', '--tui').flags).toEqual({});
    expect(given('-x', 'false').flags).toEqual({});
    expect(parse('--json=1')).toEqual({ ok: false, message: '--json takes no value (given "1")' });
  });

  it('reads -xh as two short flags', () => {
    expect(given('-xh').flags).toEqual({ exact: true, help: true });
    expect(given('-x', '5')).toMatchObject({ flags: { exact: true }, input: ['5'] });
  });

  it('collects unknown flags as written, in order, and reads words after -- as input', () => {
    expect(given('--bogus-flag', '-z', '--no-bogus', '--no-rules', '--b=1').unknown).toEqual([
      '--bogus-flag',
      '-z',
      '--no-bogus',
      '--no-rules',
      '--b',
    ]);
    expect(given('-', 'run', '-1', '--', '--rules', 'a')).toMatchObject({
      input: ['-', 'run', '-1', '--rules', 'a'],
      flags: {},
      unknown: [],
    });
  });
});
