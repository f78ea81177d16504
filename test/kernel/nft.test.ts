/**
 * Native nftables rulesets against the real kernel: each scenario built in network namespaces
 * with its nft tables loaded by `nft -f`, its traffic run, and the kernel's per-rule counters
 * (`nft list ruleset`, read back with nfdb's own reader) compared with nfdb's, rule by rule,
 * with whether each connection got through, and every first packet's path from `nft monitor
 * trace` (handles mapped to positions; verdicts in nft's words, a reject being a drop). Rules with a `counter` statement count; kube-proxy's
 * rules get one in front of them here, so that every evaluation of a rule counts and the
 * counters tell the paths.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../source/io/read-snapshot.js';
import type { HostConfig, NftChain, NftRuleset, Scenario } from '../../source/model/index.js';
import { parseEdit } from '../../source/rules/edits/index.js';
import { parseRules } from '../../source/rules/index.js';
import { deltasUpTo } from '../../source/trace/counters.js';
import { bookinfoScenario, DEFAULT_SETTINGS } from '../../source/world/scenarios/bookinfo.js';
import { simulate } from '../../source/world/simulate.js';
import { editScenario } from '../../source/world/what-if.js';
import { expectPathsAgree } from './differential.js';
import { runInKernel } from './harness/index.js';
import { kernelMissing } from './missing.js';

const missing = kernelMissing();

function nft(text: string, file: string): NftRuleset {
  const r = parseRules(text, { file });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.nft || errors.length > 0) throw new Error(`${file}: ${JSON.stringify(errors)}`);
  return r.nft;
}

/**
 * Whether a chain's counters are compared: not those of a filter or route base chain, which
 * count every packet of a TCP exchange (how many the kernel's TCP sends is its own business, as
 * differential.ts says); the chains they jump to for `ct state new`, and nat chains, see the
 * first packets only.
 */
const compared = (c: NftChain) => c.base === undefined || c.base.type === 'nat';

/** `table chain #position` → packets, for every rule with a counter, on one host. */
function kernelCounters(listing: string, ours: NftRuleset | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const names = new Set(ours?.tables.map((t) => `${t.family} ${t.name}`));
  for (const t of nft(listing, 'kernel').tables) {
    // Only the scenario's own tables: not the tracer's, nor iptables-nft's.
    if (!names.has(`${t.family} ${t.name}`)) continue;
    for (const c of t.chains.filter(compared))
      c.rules.forEach((r, i) => {
        const counter = r.statements.find((s) => s.kind === 'counter');
        if (counter?.kind === 'counter')
          out[`${t.name} ${c.name} #${i + 1}`] = counter.counters?.packets ?? 0;
      });
  }
  return out;
}

/** The same, from nfdb's trace: the deltas of every rule with a counter statement. */
function nfdbCounters(scenario: Scenario, host: string): Record<string, number> {
  const trace = simulate(scenario);
  const deltas = deltasUpTo(trace);
  const config = scenario.world.hosts.find((h) => h.name === host);
  const out: Record<string, number> = {};
  for (const t of config?.nft?.tables ?? [])
    for (const c of t.chains.filter(compared))
      c.rules.forEach((r, i) => {
        if (!r.statements.some((s) => s.kind === 'counter')) return;
        let packets = 0;
        for (const family of ['ipv4', 'ipv6'])
          packets += deltas.get(`${host}|${family}|${t.name}|${c.name}|${r.id}`)?.packets ?? 0;
        out[`${t.name} ${c.name} #${i + 1}`] = packets;
      });
  return out;
}

function fates(scenario: Scenario): boolean[] {
  const trace = simulate(scenario);
  return scenario.traffic.map((_, i) => {
    const first = trace.connections.find((c) => c.traffic === i && c.parent === undefined);
    const packets = trace.packets.filter((p) => p.connectionId === first?.id);
    return packets.length > 0 && packets.every((p) => p.fate === 'delivered');
  });
}

/**
 * `counted`: which counters (`table chain #n`) are compared; all by default. A chain that every
 * packet of a TCP exchange goes through (TPROXY's mangle chains) counts as many as the kernel's
 * TCP sends, its own business: there the paths of the first packets tell.
 */
async function expectKernelAgrees(
  scenario: Scenario,
  host: string,
  counted: (rule: string) => boolean = () => true,
  ephemeralFrom = 32768,
): Promise<void> {
  const kernel = await runInKernel(scenario, { timeoutMs: 40_000 });
  expect(kernel.errors).toEqual([]);
  expect(kernel.traffic.map((t) => t.ok)).toEqual(fates(scenario));
  expectPathsAgree(simulate(scenario), kernel, new Set(), 'nft', ephemeralFrom);
  const only = (c: Record<string, number>) =>
    Object.fromEntries(Object.entries(c).filter(([rule]) => counted(rule)));
  expect(only(nfdbCounters(scenario, host))).toEqual(
    only(
      kernelCounters(
        kernel.nftListing[host] ?? '',
        scenario.world.hosts.find((h) => h.name === host)?.nft,
      ),
    ),
  );
}

/** A shipped scenario with its pod's iptables rules replaced by nft tables. */
function snapshotWithNft(name: string, tables: NftRuleset): Scenario {
  const file = `snapshots/${name}`;
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return withNft(loaded.scenario, 'pod', { rulesets: [], nft: tables });
}

function withNft(base: Scenario, host: string, extra: Partial<HostConfig>): Scenario {
  const hosts = base.world.hosts.map((h) => (h.name === host ? { ...h, ...extra } : h));
  return { ...base, world: { ...base.world, hosts } };
}

const sidecar = nft(readFileSync('test/inputs/nft-istio-sidecar.nft', 'utf8'), 'sidecar.nft');

/** kube-proxy's rules, each with a counter first: every evaluation counts. */
const kubeProxy = nft(
  readFileSync('test/corpus/kubernetes/kube-proxy-nft-overall.nft', 'utf8').replace(
    /^add rule ip kube-proxy (\S+) /gm,
    'add rule ip kube-proxy $1 counter ',
  ),
  'kube-proxy.nft',
);

function kubeScenario(to: string, from?: string): Scenario {
  const host = (name: string, address: string, rest: Partial<HostConfig>): HostConfig => ({
    name,
    interfaces: [{ name: 'eth0', addresses: [`${address}/16`], link: 'net' }],
    routes: [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes: [],
    forwarding: false,
    ...rest,
  });
  const web = {
    kind: 'server' as const,
    name: 'web',
    uid: 1000,
    gid: 1000,
    listen: [{ address: '0.0.0.0', port: 80, protocol: 'tcp' as const }],
    response: 100,
  };
  return {
    world: {
      name: 'kube-proxy nftables',
      hosts: [
        host('node', '10.180.0.100', {
          interfaces: [
            { name: 'eth0', addresses: ['10.180.0.100/16', '192.168.0.2/16'], link: 'net' },
          ],
          nft: kubeProxy,
          processes: [{ kind: 'client', name: 'curl', uid: 0, gid: 0 }],
        }),
        host('pod1', '10.180.0.1', { processes: [web] }),
      ],
      settings: DEFAULT_SETTINGS,
    },
    traffic: [
      {
        fromHost: 'node',
        process: 'curl',
        to: { address: to, port: 80 },
        protocol: 'tcp',
        payload: 10,
        ...(from ? { bind: { address: from } } : {}),
      },
    ],
  };
}

describe.skipIf(missing !== undefined)(
  `native nftables against the kernel${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    it('Istio sidecar in native nftables mode: inbound and outbound capture', async () => {
      await expectKernelAgrees(
        withNft(bookinfoScenario(), 'reviews', { rulesets: [], nft: sidecar }),
        'reviews',
      );
    }, 60_000);

    it('kube-proxy nftables: a ClusterIP through service-ips and numgen to a DNAT', async () => {
      await expectKernelAgrees(kubeScenario('172.30.0.41'), 'node');
    }, 60_000);

    it('kube-proxy nftables: from outside the pod network, marked and masqueraded', async () => {
      // Masqueraded fully-random: the reply comes back to a port from 1024 up.
      await expectKernelAgrees(
        kubeScenario('172.30.0.41', '192.168.0.2'),
        'node',
        () => true,
        1024,
      );
    }, 60_000);

    // Istio's native goldens in the shipped scenarios made for their iptables twins.
    for (const [snapshot, golden, counted] of [
      ['tproxy-inbound.json', 'nft-capture-tproxy.nft', (r: string) => !r.includes('mangle')],
      ['dns-capture-ct-zones.json', 'nft-capture-dns-uid-gid.nft', () => true],
      // ztunnel's socket mark 0x539 (the harness's agent sets it) is what lets its own
      // connections past the in-pod redirects. The mangle output chain sees every packet of
      // the TCP exchanges, as many as the kernel's TCP sends: there the paths tell.
      [
        'ambient-inpod-mark.json',
        'nft-cni-inpod-default.nft',
        (r: string) => !r.includes('mangle istio-output'),
      ],
    ] as const)
      it(`${snapshot} with Istio's native nftables golden ${golden}`, async () => {
        const file = `test/corpus/istio/${golden}`;
        const scenario = snapshotWithNft(snapshot, nft(readFileSync(file, 'utf8'), file));
        await expectKernelAgrees(scenario, 'pod', counted);
      }, 60_000);

    it('an nft what-if edit, loaded for real: the inbound port let past the capture', async () => {
      const edit = parseEdit(
        'insert rule inet istio-proxy-nat istio-inbound tcp dport 9080 counter return',
        'ipv4',
      );
      if (!edit.ok) throw new Error('edit not read');
      const base = withNft(bookinfoScenario(), 'reviews', { rulesets: [], nft: sidecar });
      const edited = editScenario(base, [{ host: 'reviews', edit: edit.edit }]);
      if (!edited.ok) throw new Error(edited.message);
      await expectKernelAgrees(edited.scenario, 'reviews');
    }, 60_000);

    it('a mixed host: an iptables DNAT and a native nft table on the same nat hook', async () => {
      const dnat = parseRules(
        [
          '*nat',
          ':OUTPUT ACCEPT [0:0]',
          '-A OUTPUT -d 10.0.0.3/32 -p tcp -m tcp --dport 9080 -j DNAT --to-destination 10.0.0.3:9080',
          'COMMIT',
        ].join('\n'),
        { file: 'dnat.rules' },
      ).rulesets;
      for (const iptablesLoadedLast of [false, true]) {
        const base = bookinfoScenario();
        const scenario = withNft({ ...base, traffic: [base.traffic[1]!] }, 'reviews', {
          rulesets: dnat,
          nft: sidecar,
          iptablesLoadedLast,
        });
        await expectKernelAgrees(scenario, 'reviews');
      }
    }, 120_000);
  },
);
