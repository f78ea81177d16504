/**
 * Start-up of the two ways nfdb ships, the Node build (`node dist/cli.js`) and the single
 * binary (build/out/nfdb, `npm run compile`): wall time of `nfdb run` on the default scenario
 * from spawn to exit, and time from spawn to the UI's first frame in a pseudo-terminal of
 * 120x40 (python3's pty module: Node has no pty of its own). The two are run in turns, so that
 * a shared machine's load falls on both alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BINARY = `${ROOT}build/out/nfdb`;
const CLI = `${ROOT}dist/cli.js`;

/** How a build of nfdb is started. */
export interface Launcher {
  readonly name: string;
  readonly argv: readonly string[];
}

export function launchers(): Launcher[] {
  const node = { name: 'Node', argv: [process.execPath, CLI] };
  return existsSync(BINARY) ? [node, { name: 'binary', argv: [BINARY] }] : [node];
}

export function binarySizeMB(): number | undefined {
  return existsSync(BINARY) ? statSync(BINARY).size / 1e6 : undefined;
}

/** Spawns argv in a 120x40 pty, prints the ms until `marker` appears in its output, kills it. */
const FIRST_FRAME = `
import json, os, pty, select, signal, struct, sys, termios, fcntl, time
marker, argv = sys.argv[1].encode(), sys.argv[2:]
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    os.execv(argv[0], argv)
seen = b''
while marker not in seen:
    ready, _, _ = select.select([fd], [], [], 20)
    if not ready:
        sys.exit('no frame in 20 s')
    try:
        seen += os.read(fd, 65536)
    except OSError:
        sys.exit('the program ended before its first frame')
ms = (time.monotonic() - start) * 1000
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print(json.dumps({'ms': ms}))
`;

function runToExitMs(launcher: Launcher): number {
  const [file, ...args] = launcher.argv as [string, ...string[]];
  const start = performance.now();
  const r = spawnSync(file, [...args, 'run'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${launcher.name} nfdb run failed: ${r.stderr}`);
  return ms;
}

function firstFrameMs(launcher: Launcher): number {
  const r = spawnSync('python3', ['-c', FIRST_FRAME, 'step 0 of', ...launcher.argv], {
    encoding: 'utf8',
    env: { ...process.env, TERM: 'xterm-256color' },
  });
  if (r.status !== 0) throw new Error(`${launcher.name} first frame: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout).ms;
}

export interface StartupFigures {
  readonly name: string;
  readonly runMs: number;
  /** Undefined when python3 (the pty) is not there. */
  readonly frameMs?: number;
}

export function measureStartup(reps: number): StartupFigures[] {
  const all = launchers();
  const havePty = spawnSync('python3', ['-c', 'import pty']).status === 0;
  const runs = all.map(() => [] as number[]);
  const frames = all.map(() => [] as number[]);
  // One warm-up each: the first start after a build reads the program from disk.
  for (const launcher of all) runToExitMs(launcher);
  for (let i = 0; i < reps; i++) {
    all.forEach((launcher, k) => {
      runs[k]?.push(runToExitMs(launcher));
      if (havePty) frames[k]?.push(firstFrameMs(launcher));
    });
  }
  return all.map((launcher, k) => ({
    name: launcher.name,
    runMs: median(runs[k] ?? []),
    ...(havePty ? { frameMs: median(frames[k] ?? []) } : {}),
  }));
}
