/**
 * The pod's processes from its listeners: one process per pid, the proxy the rules were written
 * for recognised by its ports (and checked against the uid and mark the rules let out), the
 * others as servers. What nfdb found and where it differs from the rules is said in words.
 */
import type { ProcessConfig } from '../../model/index.js';
import type { ProxyParams } from '../proxy/presets.js';
import type { Listener, ProcessIds } from './capture.js';

type Endpoint = { address: string; port: number; protocol: 'tcp' | 'udp' };

interface Owner {
  readonly key: string;
  readonly name: string;
  readonly pid?: number;
  readonly uid: number;
  readonly gid: number;
  readonly mark?: number;
  readonly listeners: Listener[];
}

/** `*` (IPv6 without v6only) takes IPv4 connections too: both wildcards. */
function endpoints(l: Listener): Endpoint[] {
  const addresses = l.address === '*' ? ['0.0.0.0', '::'] : [l.address];
  return addresses.map((address) => ({ address, port: l.port, protocol: l.protocol }));
}

function owners(listeners: readonly Listener[], ids: readonly ProcessIds[]): Owner[] {
  const byKey = new Map<string, Owner>();
  for (const l of listeners) {
    const key = l.pid === undefined ? `uid ${l.uid}` : `pid ${l.pid}`;
    const known = ids.find((p) => p.pid === l.pid);
    const owner = byKey.get(key) ?? {
      key,
      name: l.process ?? known?.name ?? `uid ${l.uid}`,
      ...(l.pid === undefined ? {} : { pid: l.pid }),
      uid: known?.uid ?? l.uid,
      gid: known?.gid ?? l.uid,
      ...(l.mark === undefined ? {} : { mark: l.mark }),
      listeners: [],
    };
    owner.listeners.push(l);
    byKey.set(key, owner);
  }
  // ss lists sockets in hash order: by pid (then uid) the world is the same at each capture.
  return [...byKey.values()].sort((a, b) => (a.pid ?? -1) - (b.pid ?? -1) || a.uid - b.uid);
}

/** Process names as the trace shows them: the name, with the pid when two share it. */
function names(list: readonly Owner[]): Map<Owner, string> {
  const count = new Map<string, number>();
  for (const o of list) count.set(o.name, (count.get(o.name) ?? 0) + 1);
  return new Map(
    list.map((o) => [
      o,
      (count.get(o.name) ?? 0) > 1 && o.pid ? `${o.name} (pid ${o.pid})` : o.name,
    ]),
  );
}

export interface LiveProcesses {
  readonly processes: readonly ProcessConfig[];
  /** The process that sends the app's traffic, and the proxy's name if one runs. */
  readonly app: string;
  readonly proxy?: string;
  /** The app's TCP ports reachable from outside, for the default inbound traffic. */
  readonly inboundPorts: readonly number[];
  /** A port the app listens on through loopback too. */
  readonly loopbackPort?: number;
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
}

const listensOn = (o: Owner, port: number, protocol: 'tcp' | 'udp' = 'tcp') =>
  o.listeners.some((l) => l.port === port && l.protocol === protocol);

const ports = (o: Owner) =>
  [...new Set(o.listeners.map((l) => `${l.port}${l.protocol === 'udp' ? '/udp' : ''}`))].join(', ');

function proxyProcess(o: Owner, name: string, p: ProxyParams, dns: boolean): ProcessConfig[] {
  const own = o.listeners.filter(
    (l) =>
      l.port !== p.inboundPort &&
      l.port !== p.outboundPort &&
      !(dns && l.protocol === 'udp' && l.port === p.dnsPort),
  );
  const mark = o.mark ?? p.mark;
  const envoy: ProcessConfig = {
    kind: 'envoy',
    name,
    uid: o.uid,
    gid: o.gid,
    inboundPort: p.inboundPort,
    outboundPort: p.outboundPort,
    inboundBind: p.inboundBind ?? '127.0.0.6',
    inboundBind6: p.inboundBind6 ?? '::6',
    ...(p.tproxyMark === undefined ? {} : { tproxy: { mark: p.tproxyMark } }),
    ...(mark === undefined ? {} : { mark }),
    ...(own.length > 0 ? { extraListen: own.flatMap(endpoints) } : {}),
  };
  if (!dns || p.dnsPort === undefined) return [envoy];
  const address = o.listeners.find((l) => l.protocol === 'udp' && l.port === p.dnsPort)?.address;
  return [
    envoy,
    {
      kind: 'dns-proxy',
      name: `${name} dns`,
      uid: o.uid,
      gid: o.gid,
      port: p.dnsPort,
      address: address === '*' || address === undefined ? '0.0.0.0' : address,
    },
  ];
}

const isLoopback = (a: string) => a.startsWith('127.') || a === '::1';

/** The proxy: the owner of the rules' proxy ports, the one with the rules' uid first. */
function findProxy(list: readonly Owner[], p: ProxyParams): Owner | undefined {
  const at = list.filter((o) => listensOn(o, p.outboundPort) || listensOn(o, p.inboundPort));
  return at.find((o) => o.uid === p.uid) ?? at[0];
}

export function liveProcesses(
  listeners: readonly Listener[],
  ids: readonly ProcessIds[],
  proxy: ProxyParams,
  rulesCapture: boolean,
): LiveProcesses {
  const list = owners(listeners, ids);
  const named = names(list);
  const lines: string[] = [];
  const warnings: string[] = [];
  const found = findProxy(list, proxy);
  const processes: ProcessConfig[] = [];
  for (const o of list) {
    const name = named.get(o) ?? o.name;
    const who = o.pid === undefined || name.includes('(pid') ? name : `${name} (pid ${o.pid})`;
    lines.push(
      `listening: ${who}, uid ${o.uid}, gid ${o.gid}${o.mark === undefined ? '' : `, mark 0x${o.mark.toString(16)}`}: ${ports(o)}`,
    );
    if (o !== found) {
      processes.push({
        kind: 'server',
        name,
        uid: o.uid,
        gid: o.gid,
        listen: o.listeners.flatMap(endpoints),
      });
      continue;
    }
    const dns = proxy.dnsPort !== undefined && listensOn(o, proxy.dnsPort, 'udp');
    processes.push(...proxyProcess(o, name, proxy, dns));
    lines.push(`  the proxy: it listens on the rules' proxy ports`);
    if (o.uid !== proxy.uid && o.gid !== proxy.gid && proxy.mark === undefined)
      warnings.push(
        `the proxy ${who} runs as uid ${o.uid}, gid ${o.gid}, but the rules let the proxy's own connections out as uid ${proxy.uid}: they will be sent back to it`,
      );
  }
  if (!found && rulesCapture)
    warnings.push(
      `nothing listens on the proxy's ports (${proxy.inboundPort}, ${proxy.outboundPort}): connections the rules send there are refused`,
    );
  const servers = list.filter((o) => o !== found);
  const app = servers.find((o) => o.uid !== 0) ?? servers[0];
  const appName = app ? (named.get(app) ?? app.name) : 'app';
  if (!app) {
    processes.push({ kind: 'client', name: 'app', uid: 1000, gid: 1000 });
    lines.push('no app listens: the app is a client as uid 1000 (--from and --uid choose another)');
  }
  // Every port reachable from outside: the app's, and the proxy's own (health, stats), not the
  // ports the rules redirect to.
  const own = (found?.listeners ?? []).filter(
    (l) => l.port !== proxy.inboundPort && l.port !== proxy.outboundPort,
  );
  const outside = [...servers.flatMap((o) => o.listeners), ...own].filter(
    (l) => l.protocol === 'tcp' && !isLoopback(l.address),
  );
  const loopback = app?.listeners.find(
    (l) => l.protocol === 'tcp' && (!l.address.includes(':') || l.address === '*'),
  );
  return {
    processes,
    app: appName,
    ...(found ? { proxy: named.get(found) ?? found.name } : {}),
    inboundPorts: [...new Set(outside.map((l) => l.port))],
    ...(loopback ? { loopbackPort: loopback.port } : {}),
    lines,
    warnings,
  };
}
