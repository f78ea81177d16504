/**
 * `nfdb live --trace`: the one thing nfdb writes to the kernel, so it is fenced in. A table of
 * its own (`inet nfdb_trace_<pid>`) sets nftrace on the filter's packets at the first hooks,
 * `nft monitor` reads the traces, and the table is deleted again on stop, on exit and on a
 * crash; a table left by a run that was killed (SIGKILL) is found by its pid and removed at the
 * next `--trace`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { commandIn, type LiveTarget, runIn } from './target.js';

export const TRACE_PREFIX = 'nfdb_trace_';

export const traceTableName = (pid: number = process.pid) => `${TRACE_PREFIX}${pid}`;

/** The table: chains before raw (priority -350) at prerouting and output, one rule per case. */
export function traceTableText(name: string, rules: readonly string[]): string {
  const chain = (chainName: string, hook: string) =>
    `  chain ${chainName} {\n    type filter hook ${hook} priority -350; policy accept;\n${rules.map((r) => `    ${r}\n`).join('')}  }\n`;
  return `table inet ${name} {\n${chain('pre', 'prerouting')}${chain('out', 'output')}}\n`;
}

/** Trace tables whose nfdb is gone (a SIGKILL, a power cut): deleted; their names returned. */
export function removeLeftovers(target: LiveTarget, nft: string): string[] {
  const listed = runIn(target, nft, ['-j', 'list', 'tables']);
  if (!listed.ok) return [];
  let tables: { table?: { family: string; name: string } }[] = [];
  try {
    tables = (JSON.parse(listed.stdout) as { nftables?: typeof tables }).nftables ?? [];
  } catch {
    return [];
  }
  return tables.flatMap(({ table }) => {
    const pid =
      table?.family === 'inet'
        ? new RegExp(`^${TRACE_PREFIX}(\\d+)(?:_probe)?$`).exec(table.name)?.[1]
        : undefined;
    if (!table || pid === undefined || (Number(pid) !== process.pid && existsSync(`/proc/${pid}`)))
      return [];
    return runIn(target, nft, ['delete', 'table', 'inet', table.name]).ok ? [table.name] : [];
  });
}

export class TraceSession {
  private text = '';
  private removed = false;
  private readonly onExit = () => this.removeTable();

  private constructor(
    private readonly target: LiveTarget,
    private readonly nft: string,
    readonly table: string,
    private readonly monitor: ChildProcess,
  ) {
    monitor.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.text += d;
    });
    // A crash, process.exit or the end of the event loop: the table goes with nfdb.
    process.once('exit', this.onExit);
  }

  /**
   * Starts the monitor, waits until it listens (it reports a probe table being added, a netlink
   * subscription says nothing itself), then adds the trace table.
   */
  static async start(
    target: LiveTarget,
    nft: string,
    rules: readonly string[],
  ): Promise<TraceSession | string> {
    const table = traceTableName();
    const [command = nft, ...args] = commandIn(target, nft, ['-a', 'monitor']);
    const monitor = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const session = new TraceSession(target, nft, table, monitor);
    const probe = `${table}_probe`;
    let listening = false;
    for (let tries = 0; tries < 50 && !listening && monitor.exitCode === null; tries++) {
      runIn(target, nft, ['add', 'table', 'inet', probe]);
      runIn(target, nft, ['delete', 'table', 'inet', probe]);
      listening = await session.saw(`add table inet ${probe}`, 200);
    }
    if (!listening) {
      await session.stop();
      return 'nft monitor does not report what happens: is it allowed here?';
    }
    const added = runIn(target, nft, ['-f', '-'], traceTableText(table, rules));
    if (!added.ok) {
      await session.stop();
      return `cannot add the trace table: ${added.stderr.trim()}`;
    }
    return session;
  }

  /** Whether the monitor printed `line` before it ended or `ms` passed. */
  private saw(line: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.text.includes(line)) return;
        done(true);
      };
      const done = (seen: boolean) => {
        clearTimeout(timer);
        this.monitor.stdout?.off('data', check);
        this.monitor.off('close', closed);
        resolve(seen);
      };
      const closed = () => done(this.text.includes(line));
      const timer = setTimeout(() => done(false), ms);
      this.monitor.stdout?.on('data', check);
      this.monitor.once('close', closed);
      check();
    });
  }

  private removeTable(): void {
    if (this.removed) return;
    this.removed = true;
    runIn(this.target, this.nft, ['delete', 'table', 'inet', this.table]);
  }

  /** What the monitor printed so far, while it runs. */
  get recorded(): string {
    return this.text;
  }

  /** Whether the monitor has ended (killed, or nft failed): nothing more will be recorded. */
  get ended(): boolean {
    return this.monitor.exitCode !== null || this.monitor.signalCode !== null;
  }

  /** Ends the monitor and removes the table; the monitor's output so far. */
  async stop(): Promise<string> {
    this.removeTable();
    process.off('exit', this.onExit);
    if (this.monitor.exitCode === null && this.monitor.signalCode === null) {
      const closed = new Promise((resolve) => this.monitor.once('close', resolve));
      this.monitor.kill('SIGTERM');
      await closed;
    }
    return this.text;
  }
}
