/**
 * nfdb's UI ended by a signal from outside (`kill`, `timeout`, a closed terminal): the terminal
 * comes back off the alternate screen with its cursor shown, and nfdb ends by that signal.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { newSession } from '../helpers/tmux.js';

const SOCKET = `nfdb-signals-${process.pid}`;
const CLI = join(ROOT, 'dist/cli.js');
const missing =
  spawnSync('sh', ['-c', 'command -v tmux']).status !== 0
    ? 'tmux is not installed'
    : !existsSync(CLI)
      ? 'dist/cli.js is not built (npm run build)'
      : undefined;
if (missing) console.warn(`\n*** TMUX SIGNAL TESTS SKIPPED: ${missing} ***\n`);

const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => T, ok: (v: T) => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  let last = read();
  while (Date.now() < end) {
    last = read();
    if (ok(last)) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const pane = (format: string) => tmux('display', '-p', '-t', 'sig', format).trim();

describe.skipIf(missing !== undefined)('the UI ended by a signal', () => {
  afterEach(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it.each([
    ['TERM', 143],
    ['HUP', 129],
    ['QUIT', 131],
    ['INT', 130],
  ])('SIG%s: the terminal is restored', async (signal, status) => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-sig-'));
    const pidFile = join(dir, 'pid');
    const statusFile = join(dir, 'status');
    // The inner shell writes its pid and becomes nfdb, so the signal goes to nfdb alone; a
    // script, not the interactive shell, keeps the status (bash drops the rest of a command
    // line whose command died of SIGINT).
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      `bash -c 'echo $$ > ${pidFile}; exec "${process.execPath}" "${CLI}"'\necho $? > ${statusFile}\n`,
    );
    const command = `bash ${script}`;
    await newSession(SOCKET, '-d', '-s', 'sig', '-x', '120', '-y', '40', 'bash', '--norc');
    tmux('send-keys', '-t', 'sig', command, 'Enter');
    await until(
      'the UI',
      () => tmux('capture-pane', '-p', '-t', 'sig'),
      (s) => /step \d+ of \d+/.test(s),
    );
    expect(pane('#{alternate_on}')).toBe('1');
    process.kill(Number(readFileSync(pidFile, 'utf8')), `SIG${signal}` as NodeJS.Signals);
    await until(
      'nfdb to end',
      () => existsSync(statusFile) && readFileSync(statusFile, 'utf8'),
      Boolean,
    );
    expect(Number(readFileSync(statusFile, 'utf8'))).toBe(status);
    expect(pane('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });
});
