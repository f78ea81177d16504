/**
 * A sidecar pod built for real, for `nfdb live` to capture: a network namespace with the Istio
 * sidecar rules (iptables-nft), 10.0.0.2/24 on eth0 and a default route via 10.0.0.1, a second
 * namespace at 10.0.0.1 on the other end of the veth, and processes listening as envoy does
 * (uid 1337 on 15001, 15006 and 15021) and as the app does (uid 1000 on 9080). Everything is
 * removed again by `remove`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ISTIO_SIDECAR_RULES } from '../../../source/world/scenarios/istio-sidecar-rules.js';
import { ROOT } from '../../helpers/cli.js';
import { Background, type Run, sh, sleep } from '../harness/shell.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const LISTEN = `
import socket, sys, time
socks = []
for port in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen(16)
    socks.append(s)
print("listening", flush=True)
while True:
    time.sleep(3600)
`;

let pods = 0;

export class LivePod {
  private readonly processes: Background[] = [];
  private constructor(
    readonly name: string,
    readonly peer: string,
  ) {}

  /** `nft`: an nft script loaded with `nft -f` instead of the iptables-nft sidecar rules. */
  static async create(nft?: string): Promise<LivePod> {
    const n = ++pods;
    const pod = new LivePod(`nfl-${process.pid}-${n}`, `nfl-${process.pid}-${n}-peer`);
    try {
      await pod.build(n, nft);
    } catch (error) {
      await pod.remove();
      throw error;
    }
    return pod;
  }

  private async build(n: number, nft?: string): Promise<void> {
    const { name, peer } = this;
    const veth = `nfl${process.pid % 100000}x${n}`;
    for (const args of [
      ['netns', 'add', name],
      ['netns', 'add', peer],
      ['-n', name, 'link', 'set', 'lo', 'up'],
      ['-n', peer, 'link', 'set', 'lo', 'up'],
      [
        'link',
        'add',
        `${veth}a`,
        'netns',
        name,
        'type',
        'veth',
        'peer',
        'name',
        `${veth}b`,
        'netns',
        peer,
      ],
      ['-n', name, 'link', 'set', `${veth}a`, 'name', 'eth0'],
      ['-n', peer, 'link', 'set', `${veth}b`, 'name', 'eth0'],
      ['-n', name, 'addr', 'add', '10.0.0.2/24', 'dev', 'eth0'],
      ['-n', peer, 'addr', 'add', '10.0.0.1/24', 'dev', 'eth0'],
      ['-n', name, 'link', 'set', 'eth0', 'up'],
      ['-n', peer, 'link', 'set', 'eth0', 'up'],
      ['-n', name, 'route', 'add', 'default', 'via', '10.0.0.1', 'dev', 'eth0'],
    ])
      await must(sh('ip', args));
    await this.settled();
    await must(
      nft === undefined
        ? this.exec('iptables-nft-restore', [], ISTIO_SIDECAR_RULES)
        : this.exec('nft', ['-f', '-'], nft),
    );
    await this.listen(1337, [15001, 15006, 15021]);
    await this.listen(1000, [9080]);
  }

  private async listen(uid: number, ports: readonly number[]): Promise<void> {
    const ids = ['--reuid', String(uid), '--regid', String(uid), '--clear-groups'];
    const args = ['netns', 'exec', this.name, 'setpriv', ...ids, PYTHON, '-c', LISTEN];
    const bg = new Background('ip', [...args, ...ports.map(String)]);
    this.processes.push(bg);
    if (!(await bg.waitFor((b) => b.stdout.includes('listening'), 10_000)))
      throw new Error(`listener as uid ${uid} did not start: ${bg.stderr}`);
  }

  /**
   * The kernel adds eth0's IPv6 link-local address and its local route once duplicate address
   * detection ends, after the link is up: the pod is built when no address is tentative.
   */
  private async settled(): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const tentative = await this.exec('ip', ['-6', 'addr', 'show', 'tentative']);
      if (tentative.status === 0 && tentative.stdout.trim() === '') return;
      await sleep(20);
    }
    throw new Error('IPv6 addresses stayed tentative');
  }

  exec(command: string, args: readonly string[], input?: string): Promise<Run> {
    return sh('ip', ['netns', 'exec', this.name, command, ...args], {
      timeoutMs: 15_000,
      ...(input === undefined ? {} : { input }),
    });
  }

  /** A connection from the peer namespace to the pod, so that counters move. */
  connectFromPeer(port: number): Promise<Run> {
    const code = `import socket; s = socket.create_connection(("10.0.0.2", ${port}), 3); s.close()`;
    return sh('ip', ['netns', 'exec', this.peer, PYTHON, '-c', code], { timeoutMs: 10_000 });
  }

  async remove(): Promise<void> {
    for (const p of this.processes) await p.stop();
    await sh('ip', ['netns', 'del', this.name]);
    await sh('ip', ['netns', 'del', this.peer]);
  }
}

async function must(run: Promise<Run>): Promise<Run> {
  const done = await run;
  if (done.status !== 0) throw new Error(`exit ${done.status}: ${done.stderr.trim()}`);
  return done;
}

/** `nfdb live … --trace` running in the background, its output collected as it comes. */
export class RunningNfdb {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [`${ROOT}dist/cli.js`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Waits until stderr says `text` (false after 30 s or when nfdb ended first). */
  async said(text: string): Promise<boolean> {
    for (let i = 0; i < 3000 && !this.stderr.includes(text); i++) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) break;
      await sleep(10);
    }
    return this.stderr.includes(text);
  }

  /** A signal to nfdb alone (SIGTERM), or to it and its nft monitor (SIGKILL, as a crash). */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid ?? 0;
    process.kill(signal === 'SIGKILL' ? -pid : pid, signal);
  }
}
