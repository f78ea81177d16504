/**
 * Snapshots from the command line: `nfdb save`, `nfdb run SNAPSHOT.json`, `--open`, `nfdb
 * snapshots`, `nfdb config`, and a save killed between its write and its rename. Every run points
 * NFDB_DATA_DIR and NFDB_CONFIG_DIR at fresh directories.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CLI, nfdb, ROOT } from './helpers/cli.js';

const SCENARIO = join(ROOT, 'snapshots/sidecar-inbound.json');

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-home-'));
  const env = { NFDB_DATA_DIR: join(dir, 'data'), NFDB_CONFIG_DIR: join(dir, 'config') };
  const saved = (name: string) => join(env.NFDB_DATA_DIR, 'snapshots', `${name}.json`);
  return { dir, env, saved, run: (args: string[], input?: string) => nfdb(args, input, env) };
}

describe('nfdb save and restoring', () => {
  it('saves a scenario by name and runs it back to the same walkthrough and trace', () => {
    const h = home();
    const r = h.run([
      'save',
      'inbound',
      SCENARIO,
      '--notes',
      'why 127.0.0.6?\nmore',
      '--step',
      '40',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`saved ${h.saved('inbound')}\n`);
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(h.saved('inbound'), 'utf8'));
    expect(saved).toMatchObject({
      version: 3,
      notes: 'why 127.0.0.6?\nmore',
      cursor: { step: 40, at: { packet: expect.any(Number), what: expect.any(String) } },
    });
    expect(h.run(['run', '--open', 'inbound', '--json']).stdout).toBe(
      nfdb(['run', SCENARIO, '--json']).stdout,
    );
    expect(h.run(['run', h.saved('inbound')]).stdout).toBe(nfdb(['run', SCENARIO]).stdout);
  });

  it('takes a saved or curated snapshot by name as the scenario to save from', () => {
    const h = home();
    h.run(['save', 'first', 'sidecar-inbound', '--notes', 'kept', '--step', '7']);
    expect(h.run(['save', 'copy', 'first']).status).toBe(0);
    expect(JSON.parse(readFileSync(h.saved('copy'), 'utf8'))).toMatchObject({
      notes: 'kept',
      cursor: { step: 7 },
    });
  });

  it('saves the built-in scenario, with --rules in its sidecar pod', () => {
    const h = home();
    expect(h.run(['save', 'builtin']).status).toBe(0);
    expect(h.run(['run', '--open', 'builtin', '--json']).stdout).toBe(
      nfdb(['run', '--json']).stdout,
    );
    const rules = join(ROOT, 'snapshots/rules/istio-sidecar-no-uid-exclusion.rules');
    expect(h.run(['save', 'noexclusion', '--rules', rules]).status).toBe(0);
    const restored = h.run(['run', '--open', 'noexclusion']);
    expect(restored.stdout).toContain('loop');
    expect(restored.stdout).not.toBe(nfdb(['run']).stdout);
  });

  it('asks for --force before replacing a snapshot, and leaves the old one as it was', () => {
    const h = home();
    h.run(['save', 'mine', SCENARIO, '--notes', 'first']);
    const before = readFileSync(h.saved('mine'), 'utf8');
    const again = h.run(['save', 'mine', SCENARIO, '--notes', 'second']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(
      `nfdb save: ${h.saved('mine')}: a snapshot is there already: give --force to replace it\n`,
    );
    expect(readFileSync(h.saved('mine'), 'utf8')).toBe(before);
    expect(h.run(['save', 'mine', SCENARIO, '--notes', 'second', '--force']).status).toBe(0);
    expect(JSON.parse(readFileSync(h.saved('mine'), 'utf8')).notes).toBe('second');
  });

  it('keeps what-if edits in order, and restores the trace nfdb run --edit gives', () => {
    const h = home();
    const edits = ['--edit', 'pod: -t nat -D ISTIO_INBOUND 5', '--edit=-t nat -D ISTIO_OUTPUT 1'];
    const r = h.run(['save', 'edited', SCENARIO, ...edits, '--step', '30']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(h.saved('edited'), 'utf8')).edits).toEqual([
      { host: 'pod', command: '-t nat -D ISTIO_INBOUND 5' },
      { host: 'pod', command: '-t nat -D ISTIO_OUTPUT 1' },
    ]);
    const restored = h.run(['run', '--open', 'edited', '--json']);
    expect(restored.status).toBe(0);
    const direct = nfdb(['run', SCENARIO, ...edits, '--json']);
    expect(direct.status).toBe(0);
    expect(restored.stdout).toBe(direct.stdout);
    expect(restored.stdout).not.toBe(nfdb(['run', SCENARIO, '--json']).stdout);
  });

  it('writes nothing when an edit does not apply', () => {
    const h = home();
    const r = h.run(['save', 'nope', SCENARIO, '--edit=-t nat -D ISTIO_OUTPUT 99']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^.*nope\.json: edits\[0\] \(on host "pod"\): /);
    expect(existsSync(h.saved('nope'))).toBe(false);
  });

  it('refuses a step past the trace, a bad name and an edit for no host', () => {
    const h = home();
    expect(h.run(['save', 'far', SCENARIO, '--step', '99999'])).toMatchObject({
      status: 2,
      stderr: 'nfdb: --step 99999: the trace has steps 0 to 241\n',
    });
    expect(h.run(['save', '-bad', SCENARIO]).status).toBe(2);
    expect(h.run(['save', 'x', SCENARIO, '--edit', 'db: -F'])).toMatchObject({
      status: 2,
      stderr: 'nfdb: --edit "db: -F": no host named "db"\n',
    });
    expect(h.run(['save']).status).toBe(2);
    expect(readdirSync(h.dir)).not.toContain('data');
  });
});

describe('corrupt snapshots', () => {
  const h = home();
  const good = () => {
    h.run(['save', 'good', SCENARIO, '--step', '3', '--force']);
    return readFileSync(h.saved('good'), 'utf8');
  };
  const broken = (name: string, text: string) => {
    const path = join(h.dir, `${name}.json`);
    writeFileSync(path, text);
    return { path, r: h.run(['run', path]) };
  };

  it('gives the line and column of truncated JSON, exit 1', () => {
    // Cut after a bracket, not inside the notes: the end comes where a value is expected.
    const text = good();
    const cut = text.indexOf('"hosts": [') + '"hosts": ['.length;
    const { path, r } = broken('truncated', text.slice(0, cut));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^${path}:\\d+:\\d+: not valid JSON: expected .*, found the end of the input\\n$`),
    );
  });

  it('names the field of a wrong type', () => {
    const json = JSON.parse(good());
    json.cursor.step = 'three';
    json.hosts[0].processes[0].uid = 'root';
    const { path, r } = broken('types', JSON.stringify(json, null, 2));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${path}: hosts[0].processes[0].uid: Invalid input: expected number, received string\n${path}: cursor.step: Invalid input: expected number, received string\n`,
    );
  });

  it('refuses a newer version', () => {
    const { path, r } = broken('future', good().replace('"version": 3', '"version": 99'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${path}: version: 99 is newer than this nfdb (0.1.0) reads (up to 3): upgrade nfdb to open it\n`,
    );
  });

  it('names a missing rules file', () => {
    const json = JSON.parse(good());
    json.hosts[1].rules = { file: 'gone.rules' };
    const { path, r } = broken('missing', JSON.stringify(json));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${path}: hosts[1].rules.file: cannot read ${join(h.dir, 'gone.rules')}: no such file\n`,
    );
  });

  it('points into the snapshot at rules that do not parse', () => {
    const json = JSON.parse(good());
    json.hosts[1].rules = json.hosts[1].rules.replace('-j ISTIO_INBOUND', '-j ISTIO_INBOUN');
    const { path, r } = broken('rules', JSON.stringify(json, null, 2));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^${path}:\\d+:\\d+: .*ISTIO_INBOUN.*\\[hosts\\[1\\]\\.rules \\(host "pod"\\), line \\d+ column \\d+ of the inline rules\\]`,
      ),
    );
  });

  it('is listed as unreadable, the others still listed', () => {
    writeFileSync(h.saved('zz-broken'), '{"version": 1,');
    const r = h.run(['snapshots']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^zz-broken +\S+ \S+ +saved +UNREADABLE: .*zz-broken\.json:1:\d+: not valid JSON/m,
    );
    expect(r.stdout).toMatch(/^sidecar-inbound +\S+ \S+ +curated +sidecar inbound: /m);
    const json = JSON.parse(h.run(['snapshots', '--json']).stdout);
    expect(json.find((s: { name: string }) => s.name === 'zz-broken').unreadable).toContain(
      'not valid JSON',
    );
    expect(json.find((s: { name: string }) => s.name === 'good')).toMatchObject({
      kind: 'saved',
      title: expect.any(String),
    });
  });
});

describe('a save killed between its write and its rename', () => {
  it('leaves the previous snapshot intact', async () => {
    const h = home();
    h.run(['save', 'precious', SCENARIO, '--notes', 'the old answer']);
    const before = readFileSync(h.saved('precious'), 'utf8');
    const marker = join(h.dir, 'paused');
    const child = spawn(
      process.execPath,
      [CLI, 'save', 'precious', SCENARIO, '--notes', 'the new answer', '--force'],
      { env: { ...process.env, ...h.env, NFDB_TEST_PAUSE_BEFORE_RENAME: marker }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The writer makes the marker after fsync and before rename, then waits there.
    await vi.waitFor(() => expect(existsSync(marker)).toBe(true), {
      timeout: 60_000,
      interval: 50,
    });
    const temporary = readdirSync(join(h.env.NFDB_DATA_DIR, 'snapshots')).filter((f) =>
      f.startsWith('.tmp-'),
    );
    expect(temporary).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await exited).toBe(null);
    expect(readFileSync(h.saved('precious'), 'utf8')).toBe(before);
    expect(h.run(['run', '--open', 'precious']).status).toBe(0);
    const listed = JSON.parse(h.run(['snapshots', '--json']).stdout);
    expect(listed.filter((s: { kind: string }) => s.kind === 'saved')).toMatchObject([
      { name: 'precious', notes: 'the old answer' },
    ]);
  }, 90_000);
});

describe('nfdb config', () => {
  it('says where the preferences and snapshots live and what they hold', () => {
    const h = home();
    const r = h.run(['config']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`preferences  ${join(h.env.NFDB_CONFIG_DIR, 'config.json')}\n`);
    expect(r.stdout).toContain(`snapshots    ${join(h.env.NFDB_DATA_DIR, 'snapshots')}\n`);
    expect(r.stdout).toContain('theme = "default"\n');
  });

  it('sets a preference after checking it', () => {
    const h = home();
    expect(h.run(['config', 'set', 'theme', 'plain']).status).toBe(0);
    expect(h.run(['config', 'set', 'keys.step.next', 'z,right']).status).toBe(0);
    expect(h.run(['config', 'set', 'colors.matched', 'blue']).status).toBe(0);
    const shown = h.run(['config']).stdout;
    expect(shown).toContain('theme = "plain"\n');
    expect(shown).toContain('keys = {"step.next":["z","right"]}\n');
    expect(shown).toContain('colors = {"matched":"blue"}\n');
    expect(h.run(['config', 'set', 'theme', 'pink'])).toMatchObject({ status: 1 });
    expect(h.run(['config', 'set', 'keys.step.nxt', 'x']).stderr).toMatch(
      /"step.nxt" is no command/,
    );
    expect(h.run(['config', 'set', 'keys.step.next', 'banana']).status).toBe(1);
    // x is another command's key: it would be ignored at start-up, so it is refused here.
    expect(h.run(['config', 'set', 'keys.step.next', 'x']).stderr).toMatch(
      /keys\.step\.next: "x" is rule\.off's key in browse mode\n/,
    );
    expect(h.run(['config', 'set', 'colors.matched', 'sky']).status).toBe(1);
    expect(h.run(['config', 'set', 'volume', '11']).status).toBe(2);
    expect(h.run(['config']).stdout).toContain('theme = "plain"\n');
  });

  it('warns about a bad preference and goes on with its default', () => {
    const h = home();
    h.run(['config', 'set', 'theme', 'plain']);
    const file = join(h.env.NFDB_CONFIG_DIR, 'config.json');
    writeFileSync(file, JSON.stringify({ theme: 'pink', defaultScenario: 'sidecar-inbound' }));
    const r = h.run(['config']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('nfdb: preferences: theme: Invalid option');
    expect(r.stdout).toContain('theme = "default"\n');
    // The default scenario is the one opened when none is given.
    expect(h.run(['run']).stdout).toBe(nfdb(['run', SCENARIO]).stdout);
  });
});
