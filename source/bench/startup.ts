/**
 * Start-up of the two ways nfdb ships, the Node build (`node dist/cli.js`) and the single
 * binary (build/out/nfdb, `npm run compile`): wall time of `nfdb run` on the default scenario
 * from spawn to exit, and time from spawn to the UI's first frame in a pseudo-terminal of
 * 120x40 (python3's pty module: Node has no pty of its own). The two are run in turns, so that
 * a shared machine's load falls on both alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import json, os, pty, re, select, signal, struct, sys, termios, fcntl, time
marker, argv = sys.argv[1].encode(), sys.argv[2:]
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    os.execv(argv[0], argv)
seen = b''
while marker not in seen:
    ready, _, _ = select.select([fd], [], [], 600)
    if not ready:
        sys.exit('no frame in 600 s')
    try:
        seen += os.read(fd, 65536)
    except OSError:
        said = re.sub(rb'\\x1b\\[[0-9;?]*[a-zA-Z]', b'', seen).decode(errors='replace').strip()
        sys.exit('the program ended before its first frame: ' + said[-300:])
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

/** Spawn to the UI's first frame in a 120x40 pty, with `args` after the program. */
export function firstFrameMs(launcher: Launcher, args: readonly string[] = []): number {
  const r = spawnSync('python3', ['-c', FIRST_FRAME, 'step 0 of', ...launcher.argv, ...args], {
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

/** A small rules file for `nfdb check`: a sidecar's worth of lines. */
const SMALL_RULES = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
  '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

export interface CommandStartFigures {
  readonly name: string;
  /** Median ms from spawn to exit of bare `node -e 0`, the floor, in turns with the others. */
  readonly nodeMs: number;
  readonly helpMs: number;
  readonly versionMs: number;
  readonly checkMs: number;
}

function spawnMs(argv: readonly string[]): number {
  const [file, ...args] = argv as [string, ...string[]];
  const start = performance.now();
  const r = spawnSync(file, args, { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/** `nfdb --help`, `--version` and `check` of a small file, spawn to exit, beside `node -e 0`. */
export function measureCommandStart(reps: number): CommandStartFigures {
  const file = join(tmpdir(), `nfdb-bench-small-${process.pid}.rules`);
  writeFileSync(file, SMALL_RULES);
  const cli = [process.execPath, CLI];
  const runs = {
    node: [] as number[],
    help: [] as number[],
    version: [] as number[],
    check: [] as number[],
  };
  try {
    spawnMs([...cli, '--help']);
    for (let i = 0; i < reps; i++) {
      runs.node.push(spawnMs([process.execPath, '-e', '0']));
      runs.help.push(spawnMs([...cli, '--help']));
      runs.version.push(spawnMs([...cli, '--version']));
      runs.check.push(spawnMs([...cli, 'check', file]));
    }
  } finally {
    unlinkSync(file);
  }
  return {
    name: 'Node',
    nodeMs: median(runs.node),
    helpMs: median(runs.help),
    versionMs: median(runs.version),
    checkMs: median(runs.check),
  };
}
