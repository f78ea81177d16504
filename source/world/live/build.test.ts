import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISTIO_SIDECAR_RULES } from '../scenarios/istio-sidecar-rules.js';
import { simulate } from '../simulate.js';
import { buildLiveWorld, type LiveWorld } from './build.js';
import type { Listener, LiveCapture } from './capture.js';

const LIVE = join(import.meta.dirname, '../../../test/live');

const ADDR = JSON.stringify([
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.1.0.7', prefixlen: 24 }] },
]);
const ROUTES = JSON.stringify([{ dst: 'default', gateway: '10.1.0.1', dev: 'eth0' }]);

const envoy = (port: number, uid = 1337): Listener => ({
  protocol: 'tcp',
  address: '0.0.0.0',
  port,
  uid,
  pid: 10,
  process: 'envoy',
});
const app: Listener = {
  protocol: 'tcp',
  address: '*',
  port: 9080,
  uid: 1000,
  pid: 20,
  process: 'java',
};

function capture(over: Partial<LiveCapture> = {}): LiveCapture {
  return {
    where: 'this network namespace',
    host: 'live',
    rules: { ipv4: { nft: ISTIO_SIDECAR_RULES, legacy: '' }, ipv6: {} },
    addresses: ADDR,
    routes: [ROUTES, ''],
    ipRules: ['', ''],
    listeners: [envoy(15001), envoy(15006), envoy(15021), app],
    listenersFrom: 'ss',
    processes: [
      { pid: 10, name: 'envoy', uid: 1337, gid: 1337 },
      { pid: 20, name: 'java', uid: 1000, gid: 1000 },
    ],
    forwarding: false,
    missing: [],
    ...over,
  };
}

function built(c: LiveCapture, options = {}): LiveWorld {
  const b = buildLiveWorld(c, options);
  if (!b.ok) throw new Error(b.error);
  return b.live;
}

describe('the world of a live capture', () => {
  it('is the pod with its proxy, its app and a peer at the gateway, and traffic to every port', () => {
    const live = built(capture());
    const [pod, peer] = live.scenario.world.hosts;
    expect(pod?.processes.map((p) => [p.kind, p.name, p.uid, p.gid])).toEqual([
      ['envoy', 'envoy', 1337, 1337],
      ['server', 'java', 1000, 1000],
    ]);
    expect(peer?.interfaces).toEqual([{ name: 'eth0', addresses: ['10.1.0.1/24'], link: 'pods' }]);
    expect(live.scenario.traffic.map((t) => t.label)).toEqual([
      'peer@peer → 10.1.0.7:9080',
      'peer@peer → 10.1.0.7:15021',
      'java@live → 10.1.0.2:80',
      'envoy@live → 10.1.0.2:80',
      'java@live → 127.0.0.1:9080',
    ]);
    expect(live.warnings).toEqual([]);
    expect(live.lines).toContain('listening: java (pid 20), uid 1000, gid 1000: 9080');
  });

  it('reaches the outside from a /32 pod through its link-scope gateway (Calico), the peer', () => {
    const addresses = JSON.stringify([
      { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.244.1.8', prefixlen: 32 }] },
    ]);
    const routes = JSON.stringify([
      { dst: 'default', gateway: '169.254.1.1', dev: 'eth0' },
      { dst: '169.254.1.1', dev: 'eth0', scope: 'link' },
    ]);
    const live = built(capture({ addresses, routes: [routes, ''] }));
    expect(live.scenario.world.hosts[1]?.interfaces[0]?.addresses).toEqual(['169.254.1.1/32']);
    const trace = simulate(live.scenario);
    expect(trace.packets.every((p) => p.fate === 'delivered')).toBe(true);
    expect(trace.connections.map((c) => c.label ?? `opened by the proxy for ${c.parent}`)).toEqual([
      'peer@peer → 10.244.1.8:9080',
      'opened by the proxy for 1',
      'peer@peer → 10.244.1.8:15021',
      'java@live → 10.244.1.9:80',
      'opened by the proxy for 4',
      'envoy@live → 10.244.1.9:80',
      'java@live → 127.0.0.1:9080',
    ]);
  });

  it('sends the traffic asked for, as the uid asked for', () => {
    const live = built(capture(), {
      traffic: { to: [{ address: '10.1.0.9', port: 443 }], from: 'app', uid: 1337 },
    });
    expect(live.scenario.traffic.map((t) => t.label)).toEqual([
      'java (uid 1337, gid 1000)@live → 10.1.0.9:443',
    ]);
  });

  it('warns when both iptables backends hold rules, and simulates the nft ones', () => {
    const legacy = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 1 -j ACCEPT\nCOMMIT\n';
    const live = built(
      capture({ rules: { ipv4: { nft: ISTIO_SIDECAR_RULES, legacy }, ipv6: {} } }),
    );
    expect(live.warnings[0]).toMatch(/^both iptables-nft and iptables-legacy hold IPv4 rules/);
    expect(live.scenario.world.hosts[0]?.rulesets.map((r) => r.backend)).toEqual(['nft']);
    expect(live.rules.ipv4?.backend).toBe('nft');
  });

  it('simulates iptables-legacy rules as legacy loads them when only legacy has rules', () => {
    const live = built(capture({ rules: { ipv4: { legacy: ISTIO_SIDECAR_RULES }, ipv6: {} } }));
    expect(live.scenario.world.hosts[0]?.rulesets.map((r) => r.backend)).toEqual(['legacy']);
    expect(live.lines).toContain('iptables-legacy-save: 18 rules');
  });

  it('is refused when no backend holds a rule', () => {
    const empty = '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n';
    const b = buildLiveWorld(capture({ rules: { ipv4: { nft: empty }, ipv6: {} } }));
    expect(b).toEqual({
      ok: false,
      error:
        'no iptables rules in this network namespace (neither iptables-nft nor iptables-legacy holds any) and no native nftables table: nothing to debug',
    });
  });

  it("simulates native nftables tables beside iptables, not iptables-nft's own", () => {
    // `nft -j list ruleset` of a namespace with Istio's native TPROXY sidecar loaded by `nft -f`,
    // then an iptables-nft REDIRECT in nat OUTPUT and a DROP in filter INPUT (xt compat).
    const nftJson = readFileSync(join(LIVE, 'nft-istio-tproxy-mixed.json'), 'utf8');
    const saved =
      '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 9090\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate INVALID -m comment --comment x -j DROP\nCOMMIT\n';
    const live = built(capture({ nftJson, rules: { ipv4: { nft: saved }, ipv6: {} } }));
    const pod = live.scenario.world.hosts[0];
    expect(pod?.nft?.tables.map((t) => `${t.family} ${t.name}`)).toEqual([
      'inet istio-proxy-nat',
      'inet istio-proxy-mangle',
      'inet istio-proxy-raw',
    ]);
    expect(pod?.rulesets.flatMap((r) => r.tables.map((t) => t.name)).sort()).toEqual([
      'filter',
      'nat',
    ]);
    // iptables-nft's tables got later handles: their chains registered after Istio's.
    expect(pod?.iptablesLoadedLast).toBe(true);
    expect(live.lines).toContain(
      'nft -j list ruleset: native table inet istio-proxy-nat (prerouting priority dstnat, output priority -100), simulated beside iptables',
    );
    expect(live.lines.find((l) => l.startsWith('proxy: '))).toContain(
      'Istio sidecar (envoy), inferred from the rules (table istio-proxy-nat)',
    );
    expect(live.warnings).toEqual([]);
    // The peer's connection to the app is taken by the native table's TPROXY to envoy.
    const trace = simulate(live.scenario);
    const steps = trace.steps.map((s) => JSON.stringify(s));
    expect(steps.some((s) => s.includes('istio-proxy-mangle') && s.includes('tproxy'))).toBe(true);
  });

  it('is built from native nft tables alone, when no iptables backend holds a rule', () => {
    const nftJson = readFileSync(join(LIVE, 'nft-istio-tproxy-mixed.json'), 'utf8');
    const live = built(capture({ nftJson, rules: { ipv4: {}, ipv6: {} } }));
    // Without iptables-nft-save, its tables are still known by their xt expressions.
    expect(live.scenario.world.hosts[0]?.nft?.tables).toHaveLength(3);
    expect(live.scenario.world.hosts[0]?.rulesets).toEqual([]);
  });

  it('warns when nothing listens on the proxy ports, and the app is a client then', () => {
    const live = built(capture({ listeners: [] }));
    expect(live.warnings).toEqual([
      "nothing listens on the proxy's ports (15006, 15001): connections the rules send there are refused",
    ]);
    expect(live.scenario.world.hosts[0]?.processes).toEqual([
      { kind: 'client', name: 'app', uid: 1000, gid: 1000 },
    ]);
  });

  it('warns when the proxy runs as another uid than the rules let out', () => {
    const listeners = [envoy(15001, 0), envoy(15006, 0), app];
    const processes = [
      { pid: 10, name: 'envoy', uid: 0, gid: 0 },
      { pid: 20, name: 'java', uid: 1000, gid: 1000 },
    ];
    expect(built(capture({ listeners, processes })).warnings).toEqual([
      "the proxy envoy (pid 10) runs as uid 0, gid 0, but the rules let the proxy's own connections out as uid 1337: they will be sent back to it",
    ]);
  });

  it('says what it could not read', () => {
    const live = built(capture({ listenersFrom: 'proc', missing: ['socket marks: no ss'] }));
    expect(live.warnings).toEqual(['not captured: socket marks: no ss']);
    expect(live.lines).toContain(
      'listeners read from /proc/net (no ss): socket marks are not known',
    );
  });
});
