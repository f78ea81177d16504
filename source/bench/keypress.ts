/**
 * A keypress as a person sees it: nfdb's UI in a pseudo-terminal (python3's pty module; Node has
 * none of its own), a key written to the terminal and the time until the frame that answers it
 * has been read back from the terminal, beside the terminal's own floor: a Node program that
 * writes each key straight back, in the same kind of terminal. Keys alternate between the next
 * and the previous step, so the cursor stays where it was put (inside KUBE-SERVICES, found with
 * the UI's own search, for a kube-proxy dump).
 */
import { spawnSync } from 'node:child_process';
import { median } from './measure.js';

/**
 * argv[1]: a JSON plan. Spawns plan.argv in a 120x40 pty; `setup` keys are typed and each waits
 * for its pattern; then `keys` are timed, each from the write to the end of the burst of output
 * in which its pattern appears (a pattern may use {n} and {n-1}, from the step number the setup found).
 */
const DRIVER = `
import json, os, pty, re, select, signal, struct, sys, termios, fcntl, time
plan = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    os.execvpe(plan['argv'][0], plan['argv'], {**os.environ, 'TERM': 'xterm-256color'})
seen = b''
def read_until(pattern, limit):
    global seen
    seen = b''
    end = time.monotonic() + limit
    while True:
        left = end - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(0, left))
        if not ready:
            sys.exit('timed out waiting for %r' % pattern)
        try:
            seen += os.read(fd, 1 << 20)
        except OSError:
            said = re.sub(rb'\\x1b\\[[0-9;?]*[a-zA-Z]', b'', seen).decode(errors='replace').strip()
            sys.exit('the program ended: ' + said[-300:])
        m = re.search(pattern.encode(), seen)
        if m:
            return m
def drain(quiet):
    last = time.monotonic()
    while True:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            return last
        os.read(fd, 1 << 20)
        last = time.monotonic()
start = time.monotonic()
m = read_until(plan['ready'], plan['limit'])
first = drain(0.2)
found = m.group(1).decode() if m.groups() else ''
for key, pattern in plan['setup']:
    os.write(fd, key.encode())
    m = read_until(pattern, plan['limit'])
    if m.groups():
        found = m.group(1).decode()
    drain(0.2)
times = []
n = int(found) if found.isdigit() else 0
for i in range(plan['reps']):
    key, pattern = plan['keys'][i % len(plan['keys'])]
    t0 = time.monotonic()
    os.write(fd, key.encode())
    read_until(pattern.replace('{n-1}', str(n - 1)).replace('{n}', str(n)), plan['limit'])
    # The frame is one write, which the terminal may hand over in pieces: take them all.
    end = drain(0.005)
    times.append((end - t0) * 1000)
    drain(0.03)
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print(json.dumps({'times': times, 'step': n}))
`;

interface Plan {
  readonly argv: readonly string[];
  readonly ready: string;
  readonly setup: readonly (readonly [string, string])[];
  readonly keys: readonly (readonly [string, string])[];
  readonly reps: number;
  readonly limit: number;
}

function drive(plan: Plan): { times: number[]; step: number } {
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(plan)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`keypress bench: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** A Node program that writes each key back at once: the terminal's and Node's own floor. */
const ECHO =
  "process.stdin.setRawMode(true);process.stdout.write('ready\\n');" +
  'process.stdin.on("data",(d)=>process.stdout.write(d))';

export interface KeypressFigures {
  readonly name: string;
  /** Median ms from a key to its frame, in the pty. */
  readonly frameMs: number;
  readonly p90Ms: number;
  /** Median ms from a key to its echo by the floor program, measured in turns with the frames. */
  readonly floorMs: number;
  readonly keys: number;
  /** The step the keys were typed at. */
  readonly step: number;
}

const p90 = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? 0;

export const havePty = () => spawnSync('python3', ['-c', 'import pty']).status === 0;

/**
 * Keys typed in nfdb's UI (`cli` is the command line up to its arguments), stepping back and forth
 * at step 1 of the default scenario; with `rules`, at the step where the packet matches the rule
 * for its Service in KUBE-SERVICES (found with the UI's search for `find`), and the one before.
 */
export function measureKeypress(
  cli: readonly string[],
  name: string,
  reps: number,
  rules?: { readonly file: string; readonly to: string; readonly find: string },
): KeypressFigures {
  const argv = [...cli, '--step', '1', ...(rules ? ['--rules', rules.file, '--to', rules.to] : [])];
  const setup: [string, string][] = rules
    ? [[`/${rules.find.toLowerCase()}\r`, 'step ([02-9]|\\d\\d+) of']]
    : [['l', 'step (2) of']];
  const at = (n: string) => `step ${n} of`;
  const ui = drive({
    argv,
    ready: 'step (1) of',
    setup,
    keys: [
      ['h', at('{n-1}')],
      ['l', at('{n}')],
    ],
    reps,
    limit: 900,
  });
  const floor = drive({
    argv: [process.execPath, '-e', ECHO],
    ready: 'ready',
    setup: [],
    keys: [
      ['h', 'h'],
      ['l', 'l'],
    ],
    reps,
    limit: 60,
  });
  return {
    name,
    frameMs: median(ui.times),
    p90Ms: p90(ui.times),
    floorMs: median(floor.times),
    keys: reps,
    step: ui.step,
  };
}
