/**
 * Listening sockets, from `ss -tulpneH` or, without ss, from /proc/net/{tcp,udp}{,6}: the
 * protocol, where it is bound, the owner's uid, the process and the socket mark.
 */
import type { Listener } from './capture.js';

/** `127.0.0.1:15008`, `[::]:80`, `*:5353`, `127.0.0.53%lo:53` → address and port. */
function splitLocal(text: string): { address: string; port: number } | undefined {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at < 0 || !Number.isInteger(port)) return undefined;
  const address = text
    .slice(0, at)
    .replace(/%[^\]]*$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  return { address, port };
}

/** One line of `ss -tulpneH`; undefined for anything else. */
export function parseSsLine(line: string): Listener | undefined {
  const words = line.trim().split(/\s+/);
  const [netid, state, , , local] = words;
  if ((netid !== 'tcp' && netid !== 'udp') || local === undefined) return undefined;
  if (netid === 'tcp' && state !== 'LISTEN') return undefined;
  const bound = splitLocal(local);
  if (!bound) return undefined;
  const rest = words.slice(6).join(' ');
  const user = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(rest);
  const uid = /(?:^|\s)uid:(\d+)/.exec(rest);
  const mark = /(?:^|\s)fwmark:(0x[0-9a-f]+|\d+)/i.exec(rest);
  return {
    protocol: netid,
    ...bound,
    uid: uid ? Number(uid[1]) : 0,
    ...(user ? { process: user[1] as string, pid: Number(user[2]) } : {}),
    ...(mark ? { mark: Number(mark[1]) } : {}),
  };
}

export function parseSs(text: string): Listener[] {
  return text.split('\n').flatMap((l) => parseSsLine(l) ?? []);
}

/** `0100007F` (little-endian, as /proc/net/tcp writes it) → 127.0.0.1; 32 digits → IPv6. */
export function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return compressV6(groups);
}

function compressV6(groups: readonly string[]): string {
  const full = groups.join(':');
  const runs = [...full.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)];
  const longest = runs.sort((a, b) => b[0].length - a[0].length)[0];
  if (!longest) return full;
  const start = longest.index ?? 0;
  return `${full.slice(0, start)}::${full.slice(start + longest[0].length)}`;
}

/** TCP_LISTEN is 0x0A; an unconnected UDP socket is TCP_CLOSE, 0x07. */
const LISTENING = { tcp: '0A', udp: '07' } as const;

/**
 * The listeners of one /proc/net table (`tcp`, `udp6`, …); `owners` maps a socket inode to its
 * process (found by the io layer in /proc/PID/fd).
 */
export function parseProcNet(
  text: string,
  protocol: 'tcp' | 'udp',
  owners: ReadonlyMap<number, { pid: number; name: string }>,
): Listener[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line): Listener[] => {
      const f = line.trim().split(/\s+/);
      const [local, , state] = [f[1], f[2], f[3]];
      if (!local || state !== LISTENING[protocol]) return [];
      const [hex = '', port = '0'] = local.split(':');
      const owner = owners.get(Number(f[9]));
      return [
        {
          protocol,
          address: procAddress(hex),
          port: parseInt(port, 16),
          uid: Number(f[7] ?? 0),
          ...(owner ? { pid: owner.pid, process: owner.name } : {}),
        },
      ];
    });
}

/** The socket inodes of a /proc/net table, for the io layer to find their processes. */
export function procInodes(text: string): number[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => Number(l.trim().split(/\s+/)[9]))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** `Uid:\t1337\t1337…` and `Gid:` of /proc/PID/status: the effective ids. */
export function statusIds(text: string): { uid: number; gid: number; name: string } | undefined {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1];
  const uid = field('Uid')?.split(/\s+/)[1];
  const gid = field('Gid')?.split(/\s+/)[1];
  if (uid === undefined || gid === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid), name: field('Name') ?? '' };
}
