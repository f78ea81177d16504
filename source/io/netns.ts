/**
 * Runs the real iptables tools inside a throwaway network namespace, so that nfdb can be compared
 * with the kernel without touching the host's own rules. Needs root and iproute2; every
 * namespace is deleted again, also when the work inside it fails.
 */
import { spawnSync } from 'node:child_process';

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], input?: string): Run {
  const r = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? (r.error ? String(r.error) : ''),
  };
}

/** Why the kernel tools cannot be used here, or undefined when they can. */
export function kernelToolsMissing(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root';
  for (const tool of ['ip', 'iptables-restore', 'iptables-save', 'ip6tables-restore']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  const probe = `nfdb-probe-${process.pid}`;
  const added = run('ip', ['netns', 'add', probe]);
  if (added.status !== 0) return `cannot create a network namespace: ${added.stderr.trim()}`;
  run('ip', ['netns', 'del', probe]);
  return undefined;
}

let counter = 0;

export class Netns {
  private constructor(readonly name: string) {}

  static create(prefix = 'nfdb'): Netns {
    const name = `${prefix}-${process.pid}-${++counter}`;
    const added = run('ip', ['netns', 'add', name]);
    if (added.status !== 0) throw new Error(`ip netns add ${name}: ${added.stderr.trim()}`);
    return new Netns(name);
  }

  exec(command: string, args: readonly string[], input?: string): Run {
    return run('ip', ['netns', 'exec', this.name, command, ...args], input);
  }

  delete(): void {
    run('ip', ['netns', 'del', this.name]);
  }

  static with<T>(work: (ns: Netns) => T, prefix?: string): T {
    const ns = Netns.create(prefix);
    try {
      return work(ns);
    } finally {
      ns.delete();
    }
  }
}
