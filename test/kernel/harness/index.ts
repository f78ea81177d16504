/**
 * The kernel side of the differential tests: builds a Scenario's World for real (one network
 * namespace per host, veth pairs or a bridge per link, addresses, routes, ip rules, ipsets,
 * iptables-nft rulesets, python agents for the processes), runs the traffic, and reports what
 * the kernel did: `iptables-save -c` per host and, from `nft monitor trace`, every packet's path
 * through the iptables chains. Needs root, iproute2, iptables-nft, nft, ipset, setpriv and
 * python3.
 *
 * Everything it creates (namespaces `nfk-<pid>-…`, processes, a temp dir) is removed again in a
 * finally block; the whole run is bounded by `timeoutMs`.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Backend,
  DEFAULT_DNS_RESPONSE,
  DEFAULT_RESPONSE,
  type HostConfig,
  type IpSetConfig,
  type ProcessConfig,
  type Scenario,
  type TrafficItem,
} from '../../../source/model/index.js';
import { toIptablesSave } from '../../../source/rules/index.js';
import { toNftScript } from '../../../source/rules/nft/script-text.js';
import { Background, type Run, sh, sleep } from './shell.js';
import {
  handlesFromListing,
  type KernelPacketPath,
  type KernelStep,
  parseTrace,
  TRACE_TABLE,
  targetsFromSave,
} from './trace.js';

export type { KernelPacketPath, KernelStep } from './trace.js';
export { handlesFromListing, parseTrace, targetsFromSave, tupleOf } from './trace.js';

export interface KernelOptions {
  /** Bound on the whole run, setup and cleanup included. Default 20 000 ms. */
  readonly timeoutMs?: number;
  /** The python3 the agents run with; it must be readable by every process uid. */
  readonly python?: string;
  /** Set net.ipv4.conf.all.route_localnet=1 on every host (default: only hosts with a TPROXY envoy). */
  readonly routeLocalnet?: boolean;
  /** Per traffic item client timeout in seconds. Default 3. */
  readonly clientTimeoutS?: number;
  /** How long to wait after the traffic for the last trace lines (FIN, ACK). Default 300 ms. */
  readonly settleMs?: number;
  /**
   * Per host, a command file (`iptables …` lines) to run line by line, as Linkerd's proxy-init
   * or Consul do, instead of restoring the host's rulesets: `iptables` / `ip6tables` become the
   * backend's binary (`iptables-nft`, `iptables-legacy`), the host's ruleset's backend.
   */
  readonly commands?: Readonly<Record<string, string>>;
}

/** The binary of a backend: `iptables-nft-restore`, `ip6tables-legacy-save`… */
function tool(family: 'ipv4' | 'ipv6', backend: Backend, what: '' | '-restore' | '-save'): string {
  return `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}${what}`;
}

/** The backend the host's rules of a family were loaded as (nft when none says). */
export function backendOf(host: HostConfig, family: 'ipv4' | 'ipv6'): Backend {
  return host.rulesets.find((r) => r.family === family)?.backend ?? 'nft';
}

/** What a traffic item's client saw. */
export interface KernelTrafficResult {
  readonly index: number;
  readonly label?: string;
  readonly ok: boolean;
  /** The client socket's local address, `10.0.0.1:40000`. */
  readonly local?: string;
  /** Bytes of response read. */
  readonly received?: number;
  readonly error?: string;
}

/** One JSON line a long-running agent printed (accept, served, envoy, datagram, error...). */
export interface KernelProcessEvent {
  readonly host: string;
  readonly process: string;
  readonly event: string;
  readonly uid?: number;
  readonly listener?: string;
  readonly peer?: string;
  readonly local?: string;
  /** envoy: the destination it read (SO_ORIGINAL_DST, or the local address under TPROXY). */
  readonly originalDst?: string;
  /** envoy: the local address of its upstream connection (127.0.0.6:… inbound). */
  readonly upstreamLocal?: string;
  readonly ok?: boolean;
  readonly error?: string;
  readonly [key: string]: unknown;
}

export interface KernelResult {
  /** Per host: `iptables-save -c` output with the '#' comment lines removed. */
  readonly counters: Record<string, string>;
  /** Per host with an IPv6 ruleset: `ip6tables-save -c`, '#' lines removed. */
  readonly counters6: Record<string, string>;
  readonly paths: KernelPacketPath[];
  readonly errors: string[];
  readonly traffic: KernelTrafficResult[];
  readonly events: KernelProcessEvent[];
  /** The raw `nft -a monitor trace` output per host, from after the rules were loaded. */
  readonly traceText: Record<string, string>;
  /** Per host with native nft tables: `nft -a list ruleset` after the traffic (counters). */
  readonly nftListing: Record<string, string>;
}

const here = dirname(fileURLToPath(import.meta.url));
let runs = 0;

interface HostRt {
  readonly config: HostConfig;
  readonly ns: string;
  monitor?: Background;
  traceStart: number;
  readonly skipIds: Set<string>;
  handles: Map<string, { number: number; target: string }>;
  ipv6: boolean;
}

interface ProcRt {
  readonly host: string;
  readonly name: string;
  readonly bg: Background;
}

const isV6 = (a: string) => a.includes(':');
const hostPort = (a: string, port: number) => (isV6(a) ? `[${a}]:${port}` : `${a}:${port}`);

/** A host's ipsets as `ipset restore` reads them: each set created, then its members added. */
export function ipsetRestore(sets: readonly IpSetConfig[]): string {
  return sets
    .flatMap((set) => [
      `create ${set.name} ${set.type} family ${set.family === 'ipv6' ? 'inet6' : 'inet'}`,
      ...set.members.map((m) => `add ${set.name} ${m}`),
    ])
    .map((line) => `${line}\n`)
    .join('');
}

function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

export async function runInKernel(
  scenario: Scenario,
  opts: KernelOptions = {},
): Promise<KernelResult> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 20_000);
  // Keep 3 s for cleanup.
  const left = (cap = 5000) => Math.max(100, Math.min(cap, deadline - 3000 - Date.now()));
  const overdue = () => Date.now() > deadline - 3000;
  const python = opts.python ?? defaultPython();
  const errors: string[] = [];
  const namespaces: string[] = [];
  const procs: ProcRt[] = [];
  const hosts: HostRt[] = [];
  const result: KernelResult = {
    counters: {},
    counters6: {},
    paths: [],
    errors,
    traffic: [],
    events: [],
    traceText: {},
    nftListing: {},
  };
  const prefix = `nfk-${process.pid}-${++runs}`;
  const tmp = mkdtempSync(join(tmpdir(), 'nfk-'));
  chmodSync(tmp, 0o755);
  const agent = join(tmp, 'agent.py');
  copyFileSync(join(here, 'agent.py'), agent);
  chmodSync(agent, 0o644);

  const must = async (what: string, r: Promise<Run>): Promise<Run> => {
    const done = await r;
    if (done.status !== 0 || done.timedOut)
      errors.push(
        `${what}: ${done.timedOut ? 'timed out' : `exit ${done.status}`} ${done.stderr.trim()}`,
      );
    return done;
  };
  const inNs = (ns: string, command: string, args: readonly string[], input?: string) =>
    sh('ip', ['netns', 'exec', ns, command, ...args], { input, timeoutMs: left() });
  const ip = (what: string, args: readonly string[]) =>
    must(`${what}: ip ${args.join(' ')}`, sh('ip', args, { timeoutMs: left() }));

  try {
    // ---------------------------------------------------------------- namespaces and links
    for (const [i, config] of scenario.world.hosts.entries()) {
      const ns = `${prefix}-${i}`;
      const r = await ip(config.name, ['netns', 'add', ns]);
      if (r.status !== 0) throw new Error(`cannot create namespace ${ns}`);
      namespaces.push(ns);
      hosts.push({
        config,
        ns,
        traceStart: 0,
        skipIds: new Set(),
        handles: new Map(),
        ipv6: config.interfaces.some((f) => f.name !== 'lo' && f.addresses.some(isV6)),
      });
      const usesV6 =
        config.interfaces.some((f) => f.addresses.some((a) => isV6(a) && a !== '::1/128')) ||
        config.rulesets.some((r) => r.family === 'ipv6');
      // IPv6 without DAD (link-local addresses otherwise stay tentative for a second and
      // neighbour discovery toward them fails) and without router solicitations.
      for (const [key, value] of [
        ['net.ipv6.conf.default.accept_dad', '0'],
        ['net.ipv6.conf.all.accept_dad', '0'],
        ['net.ipv6.conf.default.router_solicitations', '0'],
      ])
        await must(`${config.name}: sysctl ${key}`, inNs(ns, 'sysctl', ['-qw', `${key}=${value}`]));
      if (!usesV6) {
        // No IPv6 in this host: keep router solicitations and MLD out of the traces.
        for (const key of ['all', 'default'])
          await must(
            `${config.name}: disable IPv6`,
            inNs(ns, 'sysctl', ['-qw', `net.ipv6.conf.${key}.disable_ipv6=1`]),
          );
      }
      await ip(config.name, ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const segments = new Map<string, { host: HostRt; iface: string }[]>();
    for (const host of hosts) {
      for (const iface of host.config.interfaces) {
        if (iface.name === 'lo') continue;
        if (iface.link === undefined) {
          await ip(host.config.name, ['-n', host.ns, 'link', 'add', iface.name, 'type', 'dummy']);
          continue;
        }
        const list = segments.get(iface.link) ?? [];
        list.push({ host, iface: iface.name });
        segments.set(iface.link, list);
      }
    }
    let bridges = 0;
    for (const [link, members] of segments) {
      const [a, b] = members;
      if (members.length === 2 && a && b) {
        await ip(`link ${link}`, [
          'link',
          'add',
          a.iface,
          'netns',
          a.host.ns,
          'type',
          'veth',
          'peer',
          'name',
          b.iface,
          'netns',
          b.host.ns,
        ]);
        continue;
      }
      const br = `${prefix}-br${++bridges}`;
      if ((await ip(`link ${link}`, ['netns', 'add', br])).status !== 0) continue;
      namespaces.push(br);
      await ip(`link ${link}`, ['-n', br, 'link', 'add', 'br0', 'type', 'bridge']);
      await ip(`link ${link}`, ['-n', br, 'link', 'set', 'br0', 'up']);
      for (const [j, m] of members.entries()) {
        const port = `p${j}`;
        await ip(`link ${link}`, [
          'link',
          'add',
          m.iface,
          'netns',
          m.host.ns,
          'type',
          'veth',
          'peer',
          'name',
          port,
          'netns',
          br,
        ]);
        await ip(`link ${link}`, ['-n', br, 'link', 'set', port, 'master', 'br0', 'up']);
      }
    }

    // ---------------------------------------------------------------- addresses, sysctls, routes
    for (const host of hosts) {
      const name = host.config.name;
      for (const iface of host.config.interfaces) {
        for (const address of iface.addresses) {
          if (iface.name === 'lo' && (address === '127.0.0.1/8' || address === '::1/128')) continue;
          const args = ['-n', host.ns, 'addr', 'add', address, 'dev', iface.name];
          await ip(name, isV6(address) ? [...args, 'nodad'] : args);
        }
        if (iface.name !== 'lo') await ip(name, ['-n', host.ns, 'link', 'set', iface.name, 'up']);
      }
      const tproxy = host.config.processes.some((p) => p.kind === 'envoy' && p.tproxy);
      const sysctls: [string, string][] = [
        ['net.ipv4.ip_forward', host.config.forwarding ? '1' : '0'],
        ['net.ipv6.conf.all.forwarding', host.config.forwarding ? '1' : '0'],
        ['net.ipv4.ip_unprivileged_port_start', '0'],
      ];
      if (opts.routeLocalnet ?? tproxy) sysctls.push(['net.ipv4.conf.all.route_localnet', '1']);
      const ct = host.config.conntrack;
      if (ct?.tcpLoose !== undefined)
        sysctls.push(['net.netfilter.nf_conntrack_tcp_loose', ct.tcpLoose ? '1' : '0']);
      if (ct?.tcpBeLiberal !== undefined)
        sysctls.push(['net.netfilter.nf_conntrack_tcp_be_liberal', ct.tcpBeLiberal ? '1' : '0']);
      for (const [key, value] of sysctls)
        await must(`${name}: sysctl ${key}`, inNs(host.ns, 'sysctl', ['-qw', `${key}=${value}`]));
    }
    for (const host of hosts) {
      const name = host.config.name;
      for (const route of host.config.routes) {
        const v6 = isV6(route.destination) || isV6(route.via ?? '') || isV6(route.src ?? '');
        const args = ['-n', host.ns, ...(v6 ? ['-6'] : []), 'route', 'replace'];
        if (route.type && route.type !== 'unicast') args.push(route.type);
        args.push(route.destination);
        if (route.via) args.push('via', route.via);
        if (route.type !== 'blackhole' && route.type !== 'unreachable') args.push('dev', route.dev);
        if (route.table !== undefined) args.push('table', String(route.table));
        if (route.src) args.push('src', route.src);
        await ip(name, args);
      }
      for (const rule of host.config.ipRules) {
        const v6 = isV6(rule.from ?? '') || isV6(rule.to ?? '');
        const args = ['-n', host.ns, ...(v6 ? ['-6'] : []), 'rule', 'add'];
        args.push('priority', String(rule.priority));
        if (rule.fwmark) args.push('fwmark', rule.fwmark);
        if (rule.from) args.push('from', rule.from);
        if (rule.to) args.push('to', rule.to);
        args.push('lookup', String(rule.table));
        await ip(name, args);
      }
    }

    // ---------------------------------------------------------------- nft trace
    // IPv4 multicast (IGMP reports from the link's other end) is dropped before iptables sees it:
    // it is not part of any scenario and would show up in the counters at random.
    const traceRules = `table inet ${TRACE_TABLE} {
  chain pre { type filter hook prerouting priority -350; policy accept; ip daddr 224.0.0.0/4 drop; meta nftrace set 1; }
  chain out { type filter hook output priority -350; policy accept; meta nftrace set 1; }
}
`;
    for (const host of hosts) {
      await must(
        `${host.config.name}: nft trace table`,
        inNs(host.ns, 'nft', ['-f', '-'], traceRules),
      );
      host.monitor = new Background('ip', [
        'netns',
        'exec',
        host.ns,
        'nft',
        '-a',
        'monitor',
        'trace',
      ]);
    }
    // The monitor is listening once it reports a probe packet; the probe runs before the rules load.
    const probe =
      'import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.sendto(b"nfdb-probe",("127.0.0.1",9))';
    await Promise.all(
      hosts.map(async (host) => {
        const mon = host.monitor;
        if (!mon) return;
        let seen = false;
        for (let attempt = 0; attempt < 20 && !seen && !overdue(); attempt++) {
          await inNs(host.ns, python, ['-c', probe]);
          seen = await mon.waitFor((m) => m.stdout.includes('udp dport 9 '), 150);
        }
        if (!seen) errors.push(`${host.config.name}: nft monitor trace never reported the probe`);
        await sleep(50);
        for (const m of mon.stdout.matchAll(/^trace id ([0-9a-f]+) /gm))
          if (m[1]) host.skipIds.add(m[1]);
        host.traceStart = mon.stdout.length;
      }),
    );

    // ---------------------------------------------------------------- ipsets
    // Before the rules: iptables refuses a -m set rule whose set does not exist.
    for (const host of hosts) {
      const sets = host.config.ipsets ?? [];
      if (sets.length > 0)
        await must(
          `${host.config.name}: ipset restore`,
          inNs(host.ns, 'ipset', ['restore'], ipsetRestore(sets)),
        );
    }

    // ---------------------------------------------------------------- rulesets
    for (const host of hosts) {
      const commands = opts.commands?.[host.config.name];
      for (const line of commands?.split('\n') ?? []) {
        const words = line.trim().split(/\s+/);
        const family = words[0] === 'iptables' ? 'ipv4' : words[0] === 'ip6tables' ? 'ipv6' : '';
        if (family === '') continue;
        const binary = tool(family, backendOf(host.config, family), '');
        await must(`${host.config.name}: ${line}`, inNs(host.ns, binary, words.slice(1)));
      }
      // Native nft tables, loaded after iptables' (the engine's default order; see
      // HostConfig.iptablesLoadedLast, which loads them first).
      const nft = host.config.nft;
      const loadNft = async () => {
        if (nft)
          await must(
            `${host.config.name}: nft -f`,
            inNs(host.ns, 'nft', ['-f', '-'], toNftScript(nft)),
          );
      };
      if (host.config.iptablesLoadedLast) await loadNft();
      for (const ruleset of host.config.rulesets) {
        if (ruleset.family === 'ipv6') host.ipv6 = true;
        if (commands !== undefined) continue;
        const restore = tool(ruleset.family, ruleset.backend ?? 'nft', '-restore');
        await must(
          `${host.config.name}: ${restore}`,
          inNs(host.ns, restore, [], toIptablesSave(ruleset, { counters: false, restore: true })),
        );
      }
      if (!host.config.iptablesLoadedLast) await loadNft();
      const targets = new Map<string, string[]>();
      for (const [tool, fam] of [
        ['iptables-nft-save', 'ip'],
        ['ip6tables-nft-save', 'ip6'],
      ] as const) {
        const saved = await inNs(host.ns, tool, []);
        for (const [k, v] of targetsFromSave(saved.stdout, fam)) targets.set(k, v);
      }
      const listing = await must(
        `${host.config.name}: nft list ruleset`,
        inNs(host.ns, 'nft', ['-a', 'list', 'ruleset']),
      );
      host.handles = handlesFromListing(listing.stdout, targets);
    }

    // ---------------------------------------------------------------- processes
    const setpriv = (p: ProcessConfig, caps: boolean) => [
      'setpriv',
      `--reuid=${p.uid}`,
      `--regid=${p.gid}`,
      '--clear-groups',
      ...(caps ? ['--inh-caps', '+net_admin', '--ambient-caps', '+net_admin'] : []),
    ];
    for (const host of hosts) {
      for (const p of host.config.processes) {
        let args: string[] | undefined;
        switch (p.kind) {
          case 'server':
            args = [
              'server',
              ...p.listen.flatMap((l) => [
                '--listen',
                `${l.protocol}:${hostPort(l.address, l.port)}`,
              ]),
              '--response',
              String(p.response ?? DEFAULT_RESPONSE),
            ];
            break;
          case 'dns-proxy':
            args = [
              'dns',
              '--listen',
              `udp:${hostPort(p.address, p.port)}`,
              '--response',
              String(p.response ?? DEFAULT_DNS_RESPONSE),
            ];
            break;
          case 'envoy':
            args = [
              'envoy',
              '--inbound-port',
              String(p.inboundPort),
              '--outbound-port',
              String(p.outboundPort),
              '--inbound-bind',
              p.inboundBind,
              '--inbound-bind6',
              p.inboundBind6 ?? '::6',
              ...(p.tproxy ? ['--tproxy-mark', String(p.tproxy.mark)] : []),
              ...(p.mark === undefined ? [] : ['--mark', String(p.mark)]),
              ...(p.extraListen ?? []).flatMap((l) => [
                '--listen',
                `${l.protocol}:${hostPort(l.address, l.port)}`,
              ]),
              ...(host.ipv6 ? ['--ipv6'] : []),
              '--loop-limit',
              String(Math.max(1, scenario.world.settings.loopLimit)),
            ];
            break;
          case 'client':
            break;
        }
        if (!args) continue;
        const bg = new Background('ip', [
          'netns',
          'exec',
          host.ns,
          ...setpriv(p, p.kind === 'envoy'),
          python,
          agent,
          ...args,
        ]);
        procs.push({ host: host.config.name, name: p.name, bg });
      }
    }
    await Promise.all(
      procs.map(async (p) => {
        const ready = await p.bg.waitFor((b) => b.stdout.includes('"event": "ready"'), left(3000));
        if (!ready)
          errors.push(
            `${p.host}/${p.name}: not ready: ${p.bg.stdout.trim()} ${p.bg.stderr.trim()}`.trim(),
          );
      }),
    );

    // ---------------------------------------------------------------- traffic
    const clientTimeout = opts.clientTimeoutS ?? 3;
    for (const [index, item] of scenario.traffic.entries()) {
      if (overdue()) {
        errors.push(`traffic ${index}: not run, out of time`);
        result.traffic.push({ index, label: item.label, ok: false, error: 'out of time' });
        continue;
      }
      result.traffic.push(
        await runClient(item, index, hosts, python, agent, setpriv, clientTimeout, left, errors),
      );
    }
    await sleep(opts.settleMs ?? 300);

    // ---------------------------------------------------------------- counters and traces
    for (const host of hosts) {
      const name = host.config.name;
      const v4 = await inNs(host.ns, tool('ipv4', backendOf(host.config, 'ipv4'), '-save'), ['-c']);
      result.counters[name] = stripComments(v4.stdout);
      if (host.config.nft)
        result.nftListing[name] = (await inNs(host.ns, 'nft', ['-a', 'list', 'ruleset'])).stdout;
      if (host.config.rulesets.some((r) => r.family === 'ipv6')) {
        const v6 = await inNs(host.ns, tool('ipv6', backendOf(host.config, 'ipv6'), '-save'), [
          '-c',
        ]);
        result.counters6[name] = stripComments(v6.stdout);
      }
    }
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  } finally {
    for (const p of procs) await p.bg.stop();
    for (const host of hosts) await host.monitor?.stop();
    for (const ns of namespaces.reverse()) {
      const r = await sh('ip', ['netns', 'del', ns], { timeoutMs: 2000 });
      if (r.status !== 0) errors.push(`ip netns del ${ns}: ${r.stderr.trim()}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }

  for (const host of hosts) {
    const mon = host.monitor;
    if (!mon) continue;
    const text = mon.stdout.slice(host.traceStart);
    result.traceText[host.config.name] = text;
    result.paths.push(...parseTrace(host.config.name, text, host.handles, host.skipIds));
  }
  for (const p of procs) {
    for (const line of p.bg.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const data = JSON.parse(line) as { event?: string };
        if (data.event === 'ready') continue;
        result.events.push({ ...data, event: data.event ?? '?', host: p.host, process: p.name });
      } catch {
        errors.push(`${p.host}/${p.name}: bad output line ${line}`);
      }
    }
    if (p.bg.stderr.trim() && !/Terminated|KeyboardInterrupt/.test(p.bg.stderr))
      errors.push(`${p.host}/${p.name}: ${p.bg.stderr.trim()}`);
  }
  return result;
}

function stripComments(save: string): string {
  return save
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

async function runClient(
  item: TrafficItem,
  index: number,
  hosts: readonly HostRt[],
  python: string,
  agent: string,
  setpriv: (p: ProcessConfig, caps: boolean) => string[],
  timeoutS: number,
  left: (cap?: number) => number,
  errors: string[],
): Promise<KernelTrafficResult> {
  const fail = (error: string): KernelTrafficResult => {
    errors.push(`traffic ${index}${item.label ? ` (${item.label})` : ''}: ${error}`);
    return { index, label: item.label, ok: false, error };
  };
  const host = hosts.find((h) => h.config.name === item.fromHost);
  if (!host) return fail(`no host ${item.fromHost}`);
  const proc = host.config.processes.find((p) => p.name === item.process);
  if (!proc) return fail(`no process ${item.process} on ${item.fromHost}`);
  const args = [
    'client',
    '--proto',
    item.protocol,
    '--to',
    hostPort(item.to.address, item.to.port),
    '--payload',
    String(item.payload),
    '--timeout',
    String(timeoutS),
  ];
  if (item.stray) args.push('--stray', item.stray);
  if (item.bind) {
    const a = item.bind.address ?? '';
    args.push('--bind', isV6(a) ? `[${a}]:${item.bind.port ?? 0}` : `${a}:${item.bind.port ?? 0}`);
  }
  // A stray segment reads the socket's sequence numbers (TCP_REPAIR) and goes out raw.
  const caps = item.stray
    ? ['--inh-caps', '+net_admin,+net_raw', '--ambient-caps', '+net_admin,+net_raw']
    : [];
  const r = await sh(
    'ip',
    ['netns', 'exec', host.ns, ...setpriv(proc, false), ...caps, python, agent, ...args],
    { timeoutMs: left(timeoutS * 1000 + 2000) },
  );
  const line = r.stdout.split('\n').find((l) => l.includes('"event": "client"'));
  if (!line) return fail(`client printed nothing: ${r.stderr.trim()}`);
  const data = JSON.parse(line) as {
    ok: boolean;
    local?: string;
    received?: number;
    error?: string;
  };
  return {
    index,
    label: item.label,
    ok: data.ok,
    local: data.local,
    received: data.received,
    error: data.error,
  };
}

/** The steps of a path that are rules (not policies) in `table`/`chain`. */
export function stepsIn(path: KernelPacketPath, table: string, chain?: string): KernelStep[] {
  return path.steps.filter((s) => s.table === table && (chain === undefined || s.chain === chain));
}
