/**
 * From a capture to the World nfdb steps through: the captured host with its rules, addresses,
 * routes, ip rules and listening processes (the proxy recognised by the presets), a peer pod on
 * its link for traffic from outside, and the traffic: what the user asked for, or inbound to each
 * listening port, out from the app and from the proxy, over loopback, and DNS when the rules
 * capture it. Pure: everything nfdb found, assumed or could not read comes back as lines.
 */
import type { Diagnostic, HostConfig, Scenario, TrafficItem } from '../../model/index.js';
import { fitProxy, type ProxyOverrides } from '../proxy/fit.js';
import { inferProxy } from '../proxy/infer.js';
import type { PresetName } from '../proxy/presets.js';
import { DEFAULT_SETTINGS } from '../scenarios/bookinfo.js';
import { type PodRoles, requestedTraffic, type TrafficRequest } from '../traffic-flags.js';
import { freeNeighbours } from './addresses.js';
import type { LiveCapture } from './capture.js';
import { parseAddresses, parseIpRules, parseRoutes } from './ip-json.js';
import { nativeTables, savedTables } from './nft-tables.js';
import { liveProcesses } from './processes.js';
import { type CapturedRules, capturedRules } from './rules.js';

export interface LiveOptions {
  readonly preset?: PresetName;
  readonly overrides?: ProxyOverrides;
  readonly traffic?: TrafficRequest;
}

export interface LiveWorld {
  readonly scenario: Scenario;
  readonly rules: CapturedRules['texts'];
  /** What was captured and what nfdb assumed, a sentence a line. */
  readonly lines: readonly string[];
  /** What may make the simulation differ from the kernel. */
  readonly warnings: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Who sends what `--trace` saw: the host's own connections, and those from outside. */
  readonly senders: {
    readonly local: string;
    readonly peerHost: string;
    readonly peerProcess: string;
  };
}

export type Built =
  | { readonly ok: true; readonly live: LiveWorld }
  | { readonly ok: false; readonly error: string };

const LINK = 'pods';

/** The peer; at the pod's gateway it forwards, as the node does, for the pod's way out. */
function peerHost(name: string, cidr: string, gateway: boolean): HostConfig {
  return {
    name,
    interfaces: [{ name: 'eth0', addresses: [cidr], link: LINK }],
    routes: cidr.includes(':') ? [] : [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes: [{ kind: 'client', name, uid: 1000, gid: 1000 }],
    forwarding: gateway,
  };
}

/** The pod's address traffic from outside is sent to: its first global one, IPv4 first. */
function podCidr(host: HostConfig, v6: boolean): string | undefined {
  const all = host.interfaces.filter((i) => i.name !== 'lo').flatMap((i) => i.addresses);
  return all.find((a) => a.includes(':') === v6) ?? all[0];
}

const at = (address: string, port: number) => ({ address, port });

/** Each request's traffic, on the world the previous ones grew. */
function traffic(base: Scenario, roles: PodRoles, requests: readonly TrafficRequest[]): Scenario {
  let world = base.world;
  const items: TrafficItem[] = [];
  for (const req of requests) {
    if (req.to.length === 0) continue;
    const grown = requestedTraffic({ world, traffic: [] }, roles, req);
    world = grown.world;
    items.push(...grown.traffic);
  }
  return { world, traffic: items };
}

export function buildLiveWorld(capture: LiveCapture, options: LiveOptions = {}): Built {
  const rules = capturedRules(capture.rules);
  const native = nativeTables(
    capture.nftJson,
    savedTables(capture.rules.ipv4.nft, capture.rules.ipv6.nft),
  );
  const nft = native.nft.tables.length > 0 ? native.nft : undefined;
  if (rules.rulesets.length === 0 && !nft)
    return {
      ok: false,
      error: `no iptables rules in ${capture.where} (neither iptables-nft nor iptables-legacy holds any) and no native nftables table: nothing to debug`,
    };
  const lines = [`captured ${capture.where}`, ...rules.lines];
  const warnings = [...rules.warnings];
  for (const t of native.names)
    lines.push(`nft -j list ruleset: native table ${t}, simulated beside iptables`);
  const fit = fitProxy(rules.rulesets, {
    ...(options.preset ? { preset: options.preset } : {}),
    overrides: options.overrides ?? {},
    file: rules.rulesets[0]?.tables[0] ? 'the captured rules' : 'rules',
    ...(nft ? { nft } : {}),
  });
  lines.push(...fit.lines);
  const inferred = inferProxy(rules.rulesets, nft);
  const found = liveProcesses(
    capture.listeners,
    capture.processes,
    fit.params,
    inferred.capturesInbound || inferred.capturesOutbound,
  );
  lines.push(...found.lines);
  warnings.push(...found.warnings);
  if (capture.listenersFrom === 'proc')
    lines.push('listeners read from /proc/net (no ss): socket marks are not known');
  if (capture.conntrack)
    lines.push(
      `conntrack: ${capture.conntrack.length} entries (nfdb starts from an empty table: established connections are not simulated)`,
    );
  for (const m of capture.missing) warnings.push(`not captured: ${m}`);

  const interfaces = parseAddresses(capture.addresses, LINK);
  const routes = [
    ...parseRoutes(capture.routes[0], 'ipv4'),
    ...parseRoutes(capture.routes[1], 'ipv6'),
  ];
  const pod: HostConfig = {
    name: capture.host,
    interfaces,
    routes,
    ipRules: parseIpRules(capture.ipRules),
    rulesets: rules.rulesets,
    ...(nft ? { nft } : {}),
    ...(nft && native.iptablesLoadedLast ? { iptablesLoadedLast: true } : {}),
    processes: found.processes,
    forwarding: capture.forwarding,
  };
  const v6 = rules.rulesets.length > 0 && rules.rulesets.every((r) => r.family === 'ipv6');
  const cidr = podCidr(pod, v6);
  if (!cidr)
    return {
      ok: false,
      error: `${capture.where} has no address but loopback: no traffic can reach it`,
    };
  const podAddress = cidr.split('/')[0] as string;
  const taken = interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0] as string));
  const gateway = routes.find(
    (r) => (r.destination === 'default' || r.destination === '::/0') && r.via,
  )?.via;
  const [peer = '', other = ''] = freeNeighbours(cidr, taken, 2, gateway);
  const prefix = cidr.split('/')[1];
  const peerName = capture.host === 'peer' ? 'peer pod' : 'peer';
  const base: Scenario = {
    world: {
      name: `live: ${capture.where}`,
      hosts: [pod, peerHost(peerName, `${peer}/${prefix}`, peer === gateway)],
      settings: DEFAULT_SETTINGS,
    },
    traffic: [],
  };
  const roles: PodRoles = {
    pod: pod.name,
    app: found.app,
    proxy: found.proxy ?? fit.params.process,
    peer: peerName,
    peerProcess: peerName,
    address: { pod: podAddress, peer, other },
    v6: cidr.includes(':'),
  };
  lines.push(
    `added: ${peerName} at ${peer} on ${pod.name}'s link, for traffic from outside${peer === gateway ? ' (the gateway: it forwards)' : ''}`,
  );
  const requests: TrafficRequest[] = options.traffic
    ? [options.traffic]
    : [
        { to: found.inboundPorts.map((p) => at(podAddress, p)), from: 'peer' },
        { to: [at(other, 80)], from: 'app' },
        ...(found.proxy ? [{ to: [at(other, 80)], from: 'proxy' as const }] : []),
        ...(found.loopbackPort === undefined
          ? []
          : [
              {
                to: [at(roles.v6 ? '::1' : '127.0.0.1', found.loopbackPort)],
                from: 'app' as const,
              },
            ]),
        ...(fit.dns
          ? [{ to: [at(fit.dnsAddress ?? other, 53)], from: 'app' as const, proto: 'udp' as const }]
          : []),
      ];
  return {
    ok: true,
    live: {
      scenario: traffic(base, roles, requests),
      rules: rules.texts,
      lines,
      warnings,
      diagnostics: [...rules.diagnostics, ...native.diagnostics, ...fit.diagnostics],
      senders: { local: found.app, peerHost: peerName, peerProcess: peerName },
    },
  };
}
