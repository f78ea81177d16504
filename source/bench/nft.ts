/**
 * kube-proxy in nftables mode, for `npm run bench`: a synthetic ruleset for N services in the
 * shape pkg/proxy/nftables writes (the base table of test/corpus/kubernetes/kube-proxy-nft-*.nft,
 * then per service a `service-…` chain with `numgen random mod E vmap { … }`, one `endpoint-…`
 * chain per endpoint with its `dnat to`, and the service's element in `cluster-ips` and the
 * `service-ips` verdict map), every declaration before any rule or element so `nft -f` loads it.
 *
 * Figures: nfdb's parse of it beside `nft -c -f` on the same file (in a fresh network namespace,
 * so nothing is loaded), and the first packet to a ClusterIP through it, which the verdict map
 * makes one lookup whatever N is. Measured in this process; the parse is warmed up once.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHost } from '../netfilter/engine/host.js';
import { TraceRecorder } from '../netfilter/engine/recorder.js';
import { Stack } from '../netfilter/engine/stack.js';
import { parseRules } from '../rules/index.js';
import { rulesEvaluated } from '../trace/rules-evaluated.js';
import { Connections } from '../world/connections.js';
import { clusterIp } from './engine.js';
import type { KubeProxyShape } from './kube-proxy.js';
import { median } from './measure.js';
import { curlTo, nodeHost } from './node-host.js';

const BASE = `add table ip kube-proxy { comment "rules for kube-proxy" ; }
add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }
add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; }
add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check
`;

const BASE_RULES = `add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 10.96.0.0/12 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services
`;

function endpoint(service: number, e: number): string {
  const n = service * 8 + e + 1;
  return `10.244.${(n >> 8) & 255}.${n & 255}`;
}

/** The script: about 7 + 3·E lines per service. */
export function kubeProxyNftScript(shape: KubeProxyShape): string {
  const decl: string[] = [BASE];
  const rules: string[] = [BASE_RULES];
  for (let s = 0; s < shape.services; s++) {
    const ip = clusterIp(s);
    const svc = `service-S${s}-ns/svc${s}/tcp/http`;
    decl.push(`add chain ip kube-proxy ${svc}`);
    rules.push(
      `add rule ip kube-proxy ${svc} ip daddr ${ip} ip saddr != 10.244.0.0/16 jump mark-for-masquerade`,
    );
    const targets: string[] = [];
    for (let e = 0; e < shape.endpointsPerService; e++) {
      const ep = endpoint(s, e);
      const chain = `endpoint-E${s}x${e}-ns/svc${s}/tcp/http__${ep}/80`;
      decl.push(`add chain ip kube-proxy ${chain}`);
      rules.push(`add rule ip kube-proxy ${chain} ip saddr ${ep} jump mark-for-masquerade`);
      rules.push(`add rule ip kube-proxy ${chain} meta l4proto tcp dnat to ${ep}:80`);
      targets.push(`${e} : goto ${chain}`);
    }
    rules.push(
      `add rule ip kube-proxy ${svc} numgen random mod ${shape.endpointsPerService} vmap { ${targets.join(' , ')} }`,
    );
    rules.push(`add element ip kube-proxy cluster-ips { ${ip} }`);
    rules.push(`add element ip kube-proxy service-ips { ${ip} . tcp . 80 : goto ${svc} }`);
  }
  return `${decl.join('\n')}\n${rules.join('\n')}\n`;
}

export interface NftFigures {
  readonly file: string;
  readonly lines: number;
  readonly parseMs: number;
  readonly rules: number;
  readonly errors: number;
  /** `nft -c -f` median, undefined when nft cannot run here. */
  readonly anchorMs?: number;
  readonly anchorNote?: string;
  readonly firstPacketMs: number;
  readonly rulesEvaluated: number;
  readonly destination: string;
  readonly dnatTo: string;
}

function anchor(file: string, reps: number): { ms?: number; note?: string } {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', file], { encoding: 'utf8' });
    const ms = performance.now() - start;
    if (r.status !== 0)
      return { note: `nft -c -f failed: ${(r.stderr || String(r.error)).trim().slice(0, 200)}` };
    times.push(ms);
  }
  return { ms: median(times) };
}

export function measureNft(shape: KubeProxyShape, reps: number): NftFigures {
  const text = kubeProxyNftScript(shape);
  const file = join(tmpdir(), `nfdb-bench-kube-proxy-nft-${shape.services}.nft`);
  writeFileSync(file, text);
  const read = () => readFileSync(file, 'utf8');
  parseRules(read(), { file });
  const times: number[] = [];
  let parsed = parseRules(read(), { file });
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    parsed = parseRules(read(), { file });
    times.push(performance.now() - start);
  }
  const nft = parsed.nft;
  if (!nft) throw new Error('the nft script did not read as nft');
  const config = nodeHost({ rulesets: [], nft });
  const service = Math.floor(shape.services * 0.9);
  const destination = clusterIp(service);
  const item = curlTo(destination);
  const settings = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;
  const once = () => {
    const host = makeHost(config);
    const hosts = new Map([[host.name, host]]);
    const rec = new TraceRecorder('first packet');
    const connections = new Connections(hosts, new Stack(hosts, rec, settings), rec, settings);
    const start = performance.now();
    connections.run(item, 0);
    return { ms: performance.now() - start, rec };
  };
  for (let i = 0; i < 50; i++) once();
  const packetTimes: number[] = [];
  let last = once().rec;
  for (let i = 0; i < Math.max(100, reps * 20); i++) {
    const r = once();
    packetTimes.push(r.ms);
    last = r.rec;
  }
  const trace = last.finish(['node'], []);
  const final = trace.steps[trace.steps.length - 1]?.packet;
  // `nft -c -f` takes over two minutes a run on 10,000 services: one run is the anchor, so that
  // the whole bench stays minutes long (nfdb's own parse keeps its repetitions).
  const a = anchor(file, 1);
  return {
    file,
    lines: text.split('\n').length - 1,
    parseMs: median(times),
    rules: nft.tables.flatMap((t) => t.chains).reduce((n, c) => n + c.rules.length, 0),
    errors: parsed.diagnostics.filter((d) => d.severity === 'error').length,
    ...(a.ms === undefined ? {} : { anchorMs: a.ms }),
    ...(a.note === undefined ? {} : { anchorNote: a.note }),
    firstPacketMs: median(packetTimes),
    rulesEvaluated: rulesEvaluated(trace),
    destination: `${destination}:80`,
    dnatTo: final ? `${final.dst}:${final.dport}` : 'none',
  };
}
