/**
 * Real packets beside the simulation (`nfdb live --trace`): each connection the kernel traced
 * whose first packet entered the captured host is simulated in the captured world, from the same
 * side (the host itself, or the peer for what came from outside), and its segments at that host
 * are set beside the kernel's, the lines that differ marked.
 */
import type { HostConfig, Scenario, TrafficItem } from '../model/index.js';
import { simulate } from '../world/simulate.js';
import { sendersOf } from '../world/traffic-choices.js';
import type { KernelPacketPath } from './kernel-trace.js';
import { realSegment, type Segment, simulatedSegments } from './path-segments.js';

export interface Senders {
  /** The process of the host that sends its own connections (the app). */
  readonly local: string;
  /** Where connections from outside come from: the peer host and its process. */
  readonly peerHost: string;
  readonly peerProcess: string;
}

interface Parsed {
  readonly proto: 'tcp' | 'udp';
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
}

function parseKey(key: string): Parsed | undefined {
  const m = /^(tcp|udp) (\S+) > (\S+):(\d+)/.exec(key);
  if (!m) return undefined;
  return { proto: m[1] as 'tcp' | 'udp', src: m[2] ?? '', dst: m[3] ?? '', dport: Number(m[4]) };
}

const isLocal = (host: HostConfig, address: string) =>
  address.startsWith('127.') ||
  address === '::1' ||
  host.interfaces.some((i) => i.addresses.some((a) => a.split('/')[0] === address));

/**
 * The connections' first packets the kernel traced as they entered the host: a SYN or a UDP
 * packet, sent by the host (OUTPUT) or come from outside. One looped back over lo re-enters at
 * PREROUTING from a local address: it is a later segment of a connection, not a new one.
 */
function entering(host: HostConfig, paths: readonly KernelPacketPath[]): Segment[] {
  return paths.flatMap((path) => {
    const s = realSegment(path);
    const p = s && parseKey(s.key);
    if (!s || !p || !(s.key.endsWith(' SYN') || p.proto === 'udp')) return [];
    const looped = path.steps[0]?.hook === 'PREROUTING' && isLocal(host, p.src);
    // Looped back, nat is not consulted again: often no step at all, nothing to compare.
    return looped || s.steps.length === 0 ? [] : [s];
  });
}

const withoutSource = (key: string) => key.replace(/^(\S+) \S+ >/, '$1 * >');

export interface Beside {
  readonly real: Segment;
  /** The traffic item simulated for it: what the UI adds to step through it. */
  readonly item?: TrafficItem;
  readonly simulated?: Segment;
  readonly sender: string;
  readonly same: boolean;
}

/** Each traced first packet sent again in the world by `sender` (local) or the peer. */
function itemsFor(
  host: HostConfig,
  firsts: readonly Segment[],
  senders: Senders,
  local: (i: number) => string,
): TrafficItem[] {
  return firsts.flatMap((s, i) => {
    const p = parseKey(s.key);
    if (!p) return [];
    const own = isLocal(host, p.src);
    const process = own ? local(i) : senders.peerProcess;
    return [
      {
        label: `${process} → ${p.dst}:${p.dport}`,
        fromHost: own ? host.name : senders.peerHost,
        process,
        to: { address: p.dst, port: p.dport },
        protocol: p.proto,
        payload: 100,
      },
    ];
  });
}

/** Each traced first packet beside nfdb's segment of the same packet at the host. */
function compared(
  scenario: Scenario,
  host: HostConfig,
  firsts: readonly Segment[],
  items: readonly TrafficItem[],
): Beside[] {
  const trace = simulate({ world: scenario.world, traffic: items });
  return firsts.map((real, i) => {
    const connection = trace.connections.find((c) => c.traffic === i && c.parent === undefined);
    const first = trace.packets.find((p) => p.connectionId === connection?.id);
    const local = isLocal(host, parseKey(real.key)?.src ?? '');
    const simulated = first
      ? simulatedSegments(trace, first.id).find(
          (s) =>
            s.host === host.name &&
            (local ? s.key === real.key : withoutSource(s.key) === withoutSource(real.key)),
        )
      : undefined;
    const same = simulated !== undefined && simulated.steps.join('\n') === real.steps.join('\n');
    const item = items[i];
    return {
      real,
      ...(simulated ? { simulated } : {}),
      ...(item ? { item } : {}),
      sender: item?.label ?? '',
      same,
    };
  });
}

/**
 * The kernel's trace does not say which socket sent a packet. A local connection is simulated as
 * the app's; where its path differs, as each other uid, gid and mark of the host's processes (the
 * proxy's own connections are let out by exactly these), and the first that takes the kernel's
 * path is the one shown.
 */
export function realBeside(
  scenario: Scenario,
  host: HostConfig,
  paths: readonly KernelPacketPath[],
  senders: Senders,
): Beside[] {
  const firsts = entering(host, paths);
  let found = compared(
    scenario,
    host,
    firsts,
    itemsFor(host, firsts, senders, () => senders.local),
  );
  const others = sendersOf(scenario.world, host.name)
    .map((s) => s.process)
    .filter((p) => p !== senders.local);
  for (const other of others) {
    if (found.every((b) => b.same || !isLocal(host, parseKey(b.real.key)?.src ?? ''))) break;
    const again = compared(
      scenario,
      host,
      firsts,
      itemsFor(host, firsts, senders, () => other),
    );
    found = found.map((b, i) => (!b.same && again[i]?.same ? again[i] : b));
  }
  return found;
}

/** The comparison as text: real and simulated side by side, `≠` where they differ. */
export function besideText(list: readonly Beside[]): string[] {
  if (list.length === 0) return ['no connection of the filter entered the host while tracing'];
  return list.flatMap((b) => {
    const real = b.real.steps;
    const sim = b.simulated?.steps ?? [];
    const width = Math.max(4, ...real.map((s) => s.length));
    const rows = Array.from({ length: Math.max(real.length, sim.length) }, (_, i) => {
      const mark = real[i] === sim[i] ? ' ' : '≠';
      return `  ${mark} ${(real[i] ?? '').padEnd(width)}   ${sim[i] ?? ''}`;
    });
    const verdict = b.same
      ? 'the same path'
      : b.simulated
        ? 'the paths differ'
        : 'nfdb has no such packet at this host';
    return [
      `${b.real.host}: ${b.real.key} (simulated: ${b.sender}): ${verdict}`,
      `    ${'real'.padEnd(width)}   simulated`,
      ...rows,
    ];
  });
}
