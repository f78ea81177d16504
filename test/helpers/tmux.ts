/**
 * A program in a real terminal: a tmux server of its own runs a plain shell, `keys` types,
 * `until` reads the screen until it shows what is awaited and has settled. Waits are for what
 * the screen shows, never for a fixed time: the machine that runs the tests may be loaded.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `tmux new-session` on `socket`. A server killed just before (by an earlier test) may still be
 * exiting: a session asked of it then fails with "server exited unexpectedly", and is asked
 * again once that server has gone.
 */
export async function newSession(socket: string, ...args: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('tmux', ['-L', socket, 'new-session', ...args], { encoding: 'utf8' });
      return;
    } catch (e) {
      if (attempt >= 100 || !String(e).includes('server exited unexpectedly')) throw e;
      await sleep(50);
    }
  }
}

export class Tmux {
  private readonly session = 'main';

  constructor(
    private readonly socket: string,
    private readonly width: number,
    private readonly height: number,
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts the shell, with a prompt of its own, and waits for it. */
  async shell(): Promise<void> {
    const size = ['-x', String(this.width), '-y', String(this.height)];
    await newSession(
      this.socket,
      '-d',
      '-s',
      this.session,
      ...size,
      'bash',
      '--norc',
      '--noprofile',
    );
    this.keys("PS1='PROMPT$ '; clear", 'Enter');
    await this.until('the shell prompt', (s) => s.includes('PROMPT$'));
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  /** The screen once it passes `test` and is the same at two captures in a row. */
  async until(what: string, test: (s: string) => boolean, ms = 30_000): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      const before = last;
      last = this.screen();
      if (test(last) && last === before) return last;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** Why nfdb cannot be run in tmux here (no tmux, or `cli` not built), or undefined. */
export function tmuxMissing(cli: string): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0) return 'tmux is not installed';
  return existsSync(cli) ? undefined : 'dist/cli.js is not built (npm run build)';
}
