/**
 * The network namespace `nfdb live` reads: its own, a named one (`ip netns exec NAME`) or a
 * process's (`nsenter -t PID -n`). Tools are looked up on nfdb's own PATH, since entering a
 * network namespace keeps the file system; every command has a timeout and only reads.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type LiveTarget =
  | { readonly kind: 'self' }
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'pid'; readonly pid: number };

export interface ToolRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** The tool's path on PATH, or undefined when it is not installed. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function describeTarget(target: LiveTarget): string {
  if (target.kind === 'netns') return `network namespace ${target.name}`;
  if (target.kind === 'pid') return `the network namespace of pid ${target.pid}`;
  return 'this network namespace';
}

export function targetHostName(target: LiveTarget): string {
  if (target.kind === 'netns') return target.name;
  if (target.kind === 'pid') return `pid-${target.pid}`;
  return 'live';
}

/** Why the namespace cannot be entered, or undefined when it can. */
export function targetMissing(target: LiveTarget): string | undefined {
  if (target.kind === 'netns' && !existsSync(`/run/netns/${target.name}`))
    return `--netns ${target.name}: no such network namespace (ip netns list shows those there are)`;
  if (target.kind === 'pid' && !existsSync(`/proc/${target.pid}/ns/net`))
    return `--pid ${target.pid}: no such process`;
  if (target.kind !== 'self' && !findTool(target.kind === 'netns' ? 'ip' : 'nsenter'))
    return `${target.kind === 'netns' ? 'ip (iproute2)' : 'nsenter (util-linux)'} is not installed: it enters the namespace`;
  return undefined;
}

/** The command line that runs a tool inside the target namespace. */
export function commandIn(target: LiveTarget, path: string, args: readonly string[]): string[] {
  if (target.kind === 'netns') return ['ip', 'netns', 'exec', target.name, path, ...args];
  if (target.kind === 'pid') return ['nsenter', '-t', String(target.pid), '-n', path, ...args];
  return [path, ...args];
}

/** Runs a tool inside the target namespace; the tool's own path, found on PATH. */
export function runIn(
  target: LiveTarget,
  path: string,
  args: readonly string[],
  input?: string,
): ToolRun {
  const [command = path, ...all] = commandIn(target, path, args);
  const r = spawnSync(command, all, {
    encoding: 'utf8',
    timeout: 15_000,
    maxBuffer: 256 << 20,
    ...(input === undefined ? {} : { input }),
  });
  return {
    ok: r.status === 0,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') || (r.error ? String(r.error.message) : ''),
  };
}

/** A file of the namespace's /proc/net (`tcp`, `nf_conntrack`), read from inside it. */
export function readNetFile(target: LiveTarget, name: string): string | undefined {
  if (target.kind === 'pid') return readOrUndefined(`/proc/${target.pid}/net/${name}`);
  if (target.kind === 'self') return readOrUndefined(`/proc/self/net/${name}`);
  const cat = findTool('cat');
  if (!cat) return undefined;
  const r = runIn(target, cat, [`/proc/self/net/${name}`]);
  return r.ok ? r.stdout : undefined;
}

/** A sysctl of the namespace (`net/ipv4/ip_forward`): /proc/sys as seen from inside it. */
export function readSysctl(target: LiveTarget, name: string): string | undefined {
  if (target.kind === 'self') return readOrUndefined(`/proc/sys/${name}`);
  const cat = findTool('cat');
  const r = cat ? runIn(target, cat, [`/proc/sys/${name}`]) : undefined;
  return r?.ok ? r.stdout : undefined;
}

export function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
