/**
 * `nfdb live --trace` in a real terminal, against a real pod (./live/pod.ts): the UI opens at
 * once, a connection from the peer is traced by the kernel, and L shows its real path beside the
 * simulated one. Quitting, or a SIGTERM from outside, takes the trace table away, and the
 * comparison is printed once the terminal is given back.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { Tmux, tmuxMissing } from '../helpers/tmux.js';
import { LivePod } from './live/pod.js';
import { kernelMissing } from './missing.js';

const CLI = join(ROOT, 'dist/cli.js');
const missing = kernelMissing() ?? tmuxMissing(CLI);
if (missing) console.warn(`\n*** LIVE TRACE UI TESTS SKIPPED: ${missing} ***\n`);

describe.skipIf(missing !== undefined)('nfdb live --trace in the UI, against a real pod', () => {
  let pod: LivePod;
  const term = new Tmux(`nfdb-live-ui-${process.pid}`, 120, 40);
  const traceTables = async () =>
    (await pod.exec('nft', ['list', 'tables'])).stdout.match(/nfdb_trace_\d+/g) ?? [];
  const start = async () => {
    term.keys('clear', 'Enter');
    await term.until('a clear screen', (s) => s.trim() === 'PROMPT$');
    term.keys(
      `node ${CLI} live --netns ${pod.name} --trace 'tcp port 9080' --allow-trace`,
      'Enter',
    );
    await term.until('the UI', (s) => s.includes('f findings'));
    const tables = await traceTables();
    expect(tables).toHaveLength(1);
    return tables[0] ?? '';
  };

  beforeAll(async () => {
    pod = await LivePod.create();
    await term.shell();
  });

  afterAll(async () => {
    term.close();
    await pod?.remove();
  });

  it('L shows the real path of a connection beside the simulated one, 1 steps through it; q takes the table away', async () => {
    await start();
    term.keys('L');
    const empty = await term.until('the real paths view', (s) => s.includes('Real packets'));
    expect(empty).toContain('has entered the host yet');
    expect((await pod.connectFromPeer(9080)).stderr).toBe('');
    const shown = await term.until('the traced connection', (s) => s.includes('the same path'));
    expect(shown).toContain(`1. ${pod.name}: `);
    expect(shown).toMatch(/tcp 10\.0\.0\.1 > 10\.0\.0\.2:9080 SYN · simulated as peer/);
    expect(shown).toMatch(/= nat ISTIO_IN_REDIRECT 1 REDIRECT +nat ISTIO_IN_REDIRECT 1 REDIRECT/);
    expect(shown).toContain('0 differing from the simulation');
    expect(shown).not.toMatch(/^║ +≠/m);
    term.keys('1');
    const stepped = await term.until('its simulation', (s) => s.includes('traced connection 1'));
    expect(stepped).not.toContain('Real packets');
    expect(stepped).toMatch(/peer sends SYN 10\.0\.0\.1:\d+ → 10\.0\.0\.2:9080/);
    term.keys('q');
    const after = await term.until('the printed comparison', (s) => s.includes('PROMPT$'));
    expect(after).toContain("real packets of 'tcp port 9080'");
    expect(after).toContain('the same path');
    expect(await traceTables()).toEqual([]);
  });

  it('a SIGTERM from outside takes the table away too, and gives the terminal back', async () => {
    const table = await start();
    const pid = Number(/nfdb_trace_(\d+)/.exec(table)?.[1]);
    process.kill(pid, 'SIGTERM');
    await term.until('the shell back', (s) => s.trimEnd().endsWith('PROMPT$'));
    expect(await traceTables()).toEqual([]);
  });
});
