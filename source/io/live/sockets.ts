/**
 * The namespace's listening sockets and their processes: `ss -tulpneH` when ss is there, else
 * /proc/net/{tcp,udp}{,6} with each socket's process found by its inode in /proc/PID/fd.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import type { Listener, ProcessIds } from '../../world/live/capture.js';
import { parseProcNet, parseSs, procInodes, statusIds } from '../../world/live/sockets.js';
import { findTool, type LiveTarget, readNetFile, readOrUndefined, runIn } from './target.js';

const TABLES = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
] as const;

/** Socket inode → its process, for the inodes asked about. */
function socketOwners(inodes: ReadonlySet<number>): Map<number, { pid: number; name: string }> {
  const owners = new Map<number, { pid: number; name: string }>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = Number(/^socket:\[(\d+)\]$/.exec(link)?.[1]);
      if (!inodes.has(inode) || owners.has(inode)) continue;
      const name = readOrUndefined(`/proc/${entry}/comm`)?.trim() ?? entry;
      owners.set(inode, { pid: Number(entry), name });
    }
  }
  return owners;
}

function fromProc(target: LiveTarget): Listener[] | undefined {
  const texts = TABLES.map(([file, protocol]) => ({ text: readNetFile(target, file), protocol }));
  if (texts.every((t) => t.text === undefined)) return undefined;
  const inodes = new Set(texts.flatMap((t) => procInodes(t.text ?? '')));
  const owners = socketOwners(inodes);
  return texts.flatMap((t) => parseProcNet(t.text ?? '', t.protocol, owners));
}

export interface CapturedSockets {
  readonly listeners: readonly Listener[];
  readonly from: 'ss' | 'proc' | 'none';
  readonly processes: readonly ProcessIds[];
  readonly missing: readonly string[];
}

/** The uid and gid of each listener's process, from /proc/PID/status. */
function processIds(listeners: readonly Listener[]): ProcessIds[] {
  const pids = [...new Set(listeners.flatMap((l) => (l.pid === undefined ? [] : [l.pid])))];
  return pids.flatMap((pid) => {
    const ids = statusIds(readOrUndefined(`/proc/${pid}/status`) ?? '');
    return ids ? [{ pid, ...ids }] : [];
  });
}

export function captureSockets(target: LiveTarget): CapturedSockets {
  const ss = findTool('ss');
  const run = ss ? runIn(target, ss, ['-tulpneH']) : undefined;
  if (run?.ok) {
    const listeners = parseSs(run.stdout);
    return { listeners, from: 'ss', processes: processIds(listeners), missing: [] };
  }
  const why = ss ? `ss failed (${run?.stderr.trim()})` : 'no ss';
  const listeners = fromProc(target);
  if (!listeners)
    return {
      listeners: [],
      from: 'none',
      processes: [],
      missing: [`listening sockets: ${why}, and /proc/net is not readable`],
    };
  return {
    listeners,
    from: 'proc',
    processes: processIds(listeners),
    missing: [`socket marks: ${why}, listeners read from /proc/net`],
  };
}
