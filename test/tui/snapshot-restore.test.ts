/**
 * A snapshot restored in a real terminal: tmux runs `nfdb SNAPSHOT.json`, which opens at the
 * snapshot's cursor, and a key bound in the preferences steps it. Its own tmux server, and
 * NFDB_DATA_DIR / NFDB_CONFIG_DIR in a temporary directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nfdb, ROOT } from '../helpers/cli.js';

const SOCKET = `nfdb-snapshot-${process.pid}`;
const SESSION = 'snap';
const CLI = join(ROOT, 'dist/cli.js');
const missing =
  spawnSync('sh', ['-c', 'command -v tmux']).status !== 0
    ? 'tmux is not installed'
    : !existsSync(CLI)
      ? 'dist/cli.js is not built (npm run build)'
      : undefined;
if (missing) console.warn(`\n*** TMUX SNAPSHOT TESTS SKIPPED: ${missing} ***\n`);

const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const stepOn = (s: string) => Number(/step (\d+) of (\d+)/.exec(s)?.[1] ?? -1);

async function until(what: string, test: (s: string) => boolean): Promise<string> {
  let last = '';
  await vi.waitFor(
    () => {
      last = screen();
      if (!test(last)) throw new Error(`waiting for ${what}; screen:\n${last}`);
    },
    { timeout: 20_000, interval: 50 },
  );
  return last;
}

describe.skipIf(missing !== undefined)('a snapshot restored in a real terminal', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('opens at its cursor, and a key bound in the preferences steps on from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-tui-snapshot-'));
    const env = { NFDB_DATA_DIR: join(dir, 'data'), NFDB_CONFIG_DIR: join(dir, 'config') };
    const scenario = join(ROOT, 'snapshots/sidecar-inbound.json');
    const file = join(dir, 'inbound.json');
    expect(nfdb(['save', file, scenario, '--step', '40'], undefined, env).status).toBe(0);
    expect(nfdb(['config', 'set', 'keys.step.next', 'z'], undefined, env).status).toBe(0);
    tmux(
      'new-session',
      '-d',
      '-s',
      SESSION,
      '-x',
      '120',
      '-y',
      '40',
      'bash',
      '--norc',
      '--noprofile',
    );
    tmux('send-keys', '-t', SESSION, "PS1='PROMPT$ '; clear", 'Enter');
    await until('the shell prompt', (s) => s.includes('PROMPT$'));
    const vars = `NFDB_DATA_DIR=${env.NFDB_DATA_DIR} NFDB_CONFIG_DIR=${env.NFDB_CONFIG_DIR}`;
    tmux('send-keys', '-t', SESSION, `${vars} node ${CLI} ${file}`, 'Enter');
    await until('the snapshot at step 40', (s) => stepOn(s) === 40 && s.includes('? help'));
    tmux('send-keys', '-t', SESSION, 'z');
    await until('step 41 after z', (s) => stepOn(s) === 41);
    // l is no longer step.next: it was rebound to z. Keys are handled in order, so once the goto
    // prompt that ':' opens is drawn, l and z have been handled too.
    tmux('send-keys', '-t', SESSION, 'l', 'z', ':');
    const after = await until('the goto prompt', (s) => s.includes('go to step: '));
    expect(stepOn(after)).toBe(42);
    tmux('send-keys', '-t', SESSION, 'Escape');
    await until('the prompt closed', (s) => !s.includes('go to step: '));
    tmux('send-keys', '-t', SESSION, 'q');
    await until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));
    const recent = nfdb(['config'], undefined, env).stdout;
    expect(recent).toContain(`recent = ["${file}"]`);
  }, 60_000);

  it('s saves the investigation under a name, nfdb snapshots lists it, and o opens it at its cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-tui-snapshot-'));
    const env = { NFDB_DATA_DIR: join(dir, 'data'), NFDB_CONFIG_DIR: join(dir, 'config') };
    const vars = `NFDB_DATA_DIR=${env.NFDB_DATA_DIR} NFDB_CONFIG_DIR=${env.NFDB_CONFIG_DIR}`;
    const scenario = join(ROOT, 'snapshots/sidecar-inbound.json');
    tmux('send-keys', '-t', SESSION, `clear; ${vars} node ${CLI} ${scenario}`, 'Enter');
    await until('the findings', (s) => s.includes('step 0 of') && s.includes('Findings'));
    tmux('send-keys', '-t', SESSION, 'f', ':33', 'Enter');
    await until('step 33', (s) => stepOn(s) === 33);
    tmux('send-keys', '-t', SESSION, '#', 'why 127.0.0.6', 'Escape');
    await until('the notes kept', (s) => s.includes('notes kept'));
    tmux('send-keys', '-t', SESSION, 's', 'probe', 'Enter');
    await until('saved', (s) => s.includes('saved ') && s.includes('probe.json'));
    tmux('send-keys', '-t', SESSION, 'q');
    await until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));

    const listed = nfdb(['snapshots'], undefined, env).stdout;
    expect(listed).toMatch(/^probe\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+saved\s+/m);
    // The notes were typed at the end of the curated snapshot's own.
    const saved = JSON.parse(readFileSync(join(env.NFDB_DATA_DIR, 'snapshots/probe.json'), 'utf8'));
    expect(saved.notes).toMatch(/why 127\.0\.0\.6$/);
    expect(saved.cursor).toMatchObject({ step: 33, pane: 'chain' });

    // The built-in scenario, then the picker: the saved snapshot is listed first, and opens at step 33.
    tmux('send-keys', '-t', SESSION, `clear; ${vars} node ${CLI}`, 'Enter');
    await until('the built-in scenario', (s) => s.includes('step 0 of'));
    tmux('send-keys', '-t', SESSION, 'o');
    const picker = await until(
      'the picker',
      (s) => s.includes('probe') && s.includes('Enter opens'),
    );
    expect(picker).toMatch(/❯ probe\s/);
    tmux('send-keys', '-t', SESSION, 'Enter');
    await until('the snapshot at step 33', (s) => stepOn(s) === 33 && !s.includes('Enter opens'));
    tmux('send-keys', '-t', SESSION, '#');
    await until('its notes', (s) => s.includes('why 127.0.0.6'));
    // Escape and q in one burst would read as alt-q, typed into the notes.
    tmux('send-keys', '-t', SESSION, 'Escape');
    await until('the notes closed', (s) => s.includes('notes kept'));
    tmux('send-keys', '-t', SESSION, 'q');
    await until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));
  }, 90_000);

  it('saves a what-if made with keys, and restoring it shows the loop, its edits there to undo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-tui-snapshot-'));
    const env = { NFDB_DATA_DIR: join(dir, 'data'), NFDB_CONFIG_DIR: join(dir, 'config') };
    const vars = `NFDB_DATA_DIR=${env.NFDB_DATA_DIR} NFDB_CONFIG_DIR=${env.NFDB_CONFIG_DIR}`;
    const send = (...keys: string[]) => tmux('send-keys', '-t', SESSION, ...keys);
    const edit = async (spec: string, key: string, edits: string) => {
      send('/');
      await until('the search prompt', (s) => s.includes('search: '));
      send('-l', '--', spec);
      send('Enter');
      await until(`"${spec}" found`, (s) => s.includes(`found "${spec.toLowerCase()}"`));
      send(key);
      await until(`WHAT-IF (${edits})`, (s) => s.includes(`WHAT-IF (${edits})`));
    };
    send(`clear; ${vars} node ${CLI}`, 'Enter');
    await until('the findings', (s) => s.includes('step 0 of') && s.includes('Findings'));
    send('f');
    await until('the steps', (s) => !s.includes('Findings ·') && s.includes('? help'));
    // Without envoy's uid RETURN its gid RETURN still lets it out: switched off, it loops.
    await edit('-m owner --uid-owner 1337 -j RETURN', 'D', '1 edit');
    await edit('-m owner --gid-owner 1337 -j RETURN', 'x', '2 edits');
    const edited = screen();
    send('s', 'loop', 'Enter');
    await until('saved', (s) => s.includes('saved ') && s.includes('loop.json'));
    send('q');
    await until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));

    const saved = JSON.parse(readFileSync(join(env.NFDB_DATA_DIR, 'snapshots/loop.json'), 'utf8'));
    expect(saved.edits).toEqual([
      { host: 'reviews', command: expect.stringMatching(/^-t nat -D ISTIO_OUTPUT \d+$/) },
      {
        host: 'reviews',
        command: expect.stringMatching(/^-t nat -D ISTIO_OUTPUT \d+$/),
        switch: 'off',
      },
    ]);
    expect(nfdb(['run', '--open', 'loop'], undefined, env).stdout).toContain('loop');

    send(`clear; ${vars} node ${CLI} --open loop`, 'Enter');
    const back = await until(
      'the what-if at its cursor',
      (s) =>
        stepOn(s) === stepOn(edited) && s.includes('WHAT-IF (2 edits)') && s.includes('? help'),
    );
    // The same screen as when it was saved, but for the footer (which said what the key did).
    const body = (s: string) => s.trimEnd().split('\n').slice(0, -1).join('\n');
    expect(body(back)).toBe(body(edited));
    send('f');
    const findings = await until('the findings', (s) => s.includes('Findings ·'));
    expect(findings.replace(/[║\s]+/g, ' ')).toContain(
      "why: envoy's own connection re-enters 15001",
    );
    send('f');
    await until('the steps', (s) => !s.includes('Findings ·') && s.includes('? help'));
    send('X');
    await until('switched back on', (s) => s.includes('WHAT-IF (3 edits)'));
    send('u');
    await until('undone', (s) => s.includes('WHAT-IF (2 edits)') && s.includes('undone'));
    send('q');
    await until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));
  }, 120_000);
});
