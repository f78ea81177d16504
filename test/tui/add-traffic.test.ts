/**
 * Adding traffic in a real terminal: tmux runs nfdb on a scenario file, `T` opens the picker,
 * the keys choose outbound as envoy (uid 1337) to a typed address, and the new connection is
 * simulated with the cursor on it; `t` then lists it among the scenario's traffic items, and
 * `s` saves it in a snapshot that `nfdb run --open` runs back to the same connection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { Tmux, tmuxMissing } from '../helpers/tmux.js';

const CLI = join(ROOT, 'dist/cli.js');
const missing = tmuxMissing(CLI);
if (missing) console.warn(`\n*** TMUX ADD-TRAFFIC TESTS SKIPPED: ${missing} ***\n`);

const counts = (s: string) => /step (\d+) of (\d+)/.exec(s)?.slice(1).map(Number) ?? [];

describe.skipIf(missing !== undefined)('adding traffic in a real terminal', () => {
  const term = new Tmux(`nfdb-add-traffic-${process.pid}`, 100, 30);
  beforeAll(() => term.shell());
  afterAll(() => term.close());

  it('T picks outbound as envoy to a typed address; the cursor lands on the new connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-add-traffic-'));
    const vars = `NFDB_DATA_DIR=${join(dir, 'data')} NFDB_CONFIG_DIR=${join(dir, 'config')}`;
    term.keys(`${vars} node ${CLI} ${join(ROOT, 'snapshots/sidecar-inbound.json')}`, 'Enter');
    const opened = await term.until('the findings', (s) => s.includes('Findings'));
    expect(opened).toContain('f findings');
    term.keys('T');
    const list = await term.until('the choices', (s) => s.includes('Add traffic · j/k select'));
    expect(list).toMatch(/❯ inbound {2}client → 10\.0\.0\.2:\d+/);
    const outbound = list.split('\n').findIndex((l) => l.includes('outbound → an address'));
    const first = list.split('\n').findIndex((l) => l.includes('❯'));
    for (let i = first; i < outbound; i++) term.keys('j');
    await term.until('outbound selected', (s) => s.includes('❯ outbound'));
    term.keys('Enter');
    const senders = await term.until('the senders', (s) => s.includes('send as:'));
    expect(senders).toMatch(/envoy \(uid 1337, gid 1337\)/);
    const envoy = senders.split('\n').findIndex((l) => l.includes('envoy (uid 1337'));
    const at = senders.split('\n').findIndex((l) => l.includes('❯'));
    for (let i = at; i < envoy; i++) term.keys('j');
    await term.until('envoy selected', (s) => s.includes('❯ envoy (uid 1337'));
    term.keys('Enter');
    await term.until('the destination prompt', (s) => s.includes('to ADDRESS:PORT'));
    term.keys('C-u');
    term.keys('-l', '10.0.0.9:8443 tcp');
    term.keys('Enter');
    const added = await term.until('the new connection', (s) => s.includes('added traffic'));
    expect(added).toContain('envoy@pod → 10.0.0.9:8443 (outbound, picked)');
    // The new connection's steps come after the scenario's own: past its last step.
    const [, before = 0] = counts(opened);
    const [step = 0, total = 0] = counts(added);
    expect(before).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(before);
    expect(step).toBeGreaterThanOrEqual(before);
    term.keys('t');
    const items = await term.until('the traffic items', (s) => s.includes('traffic items'));
    expect(items).toContain('10.0.0.9:8443');
    term.keys('Escape');
    await term.until('the picker closed', (s) => !s.includes('traffic items'));
    term.keys('s');
    term.keys('-l', 'picked');
    term.keys('Enter');
    await term.until('saved', (s) => s.includes('saved ') && s.includes('picked.json'));
    term.keys('q');
    await term.until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));
    const saved = JSON.parse(readFileSync(join(dir, 'data/snapshots/picked.json'), 'utf8'));
    expect(saved.traffic.at(-1)).toMatchObject({ process: 'envoy', to: { port: 8443 } });
    const env = {
      ...process.env,
      NFDB_DATA_DIR: join(dir, 'data'),
      NFDB_CONFIG_DIR: join(dir, 'config'),
    };
    const ran = spawnSync('node', [CLI, 'run', '--open', 'picked'], { env, encoding: 'utf8' });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('10.0.0.9:8443');
  });
});
