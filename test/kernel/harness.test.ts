/**
 * The kernel harness on its own: a World built for real in network namespaces must show what the
 * kernel did. Two scenarios: a plain REDIRECT to an envoy, and the Istio sidecar ruleset with the
 * app reached by envoy from 127.0.0.6 and the app's outbound call redirected to envoy's 15001.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelToolsMissing } from '../../source/io/netns.js';
import type { Ruleset } from '../../source/model/index.js';
import {
  DEFAULT_DNS_RESPONSE,
  type HostConfig,
  type Scenario,
  type TrafficItem,
} from '../../source/model/index.js';
import { parseRules } from '../../source/rules/index.js';
import { ROOT } from '../helpers/cli.js';
import {
  type KernelPacketPath,
  parseTrace,
  runInKernel,
  targetsFromSave,
} from './harness/index.js';

function toolsMissing(): string | undefined {
  const base = kernelToolsMissing();
  if (base) return base;
  for (const tool of ['nft', 'setpriv', 'iptables-nft-restore', 'iptables-nft-save']) {
    try {
      readFileSync(`/usr/sbin/${tool}`);
    } catch {
      try {
        readFileSync(`/usr/bin/${tool}`);
      } catch {
        return `${tool} is not installed`;
      }
    }
  }
  return undefined;
}

const missing = toolsMissing();
if (missing) console.warn(`\n*** KERNEL HARNESS TESTS SKIPPED: ${missing} ***\n`);

function rules(text: string, file: string): Ruleset[] {
  const parsed = parseRules(text, { file });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  return [...parsed.rulesets];
}

const REDIRECT_RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 9080 -j REDIRECT --to-ports 15006
COMMIT
`;

function twoHosts(
  serverRules: Ruleset[],
  extra: { client?: Partial<HostConfig> } = {},
): HostConfig[] {
  return [
    {
      name: 'client',
      interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'], link: 'lan' }],
      routes: [],
      ipRules: [],
      rulesets: [],
      processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
      forwarding: false,
      ...extra.client,
    },
    {
      name: 'server',
      interfaces: [{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'lan' }],
      routes: [],
      ipRules: [],
      rulesets: serverRules,
      processes: [
        {
          kind: 'server',
          name: 'app',
          uid: 1000,
          gid: 1000,
          listen: [{ address: '0.0.0.0', port: 9080, protocol: 'tcp' }],
          response: 100,
        },
        {
          kind: 'envoy',
          name: 'envoy',
          uid: 1337,
          gid: 1337,
          inboundPort: 15006,
          outboundPort: 15001,
          inboundBind: '127.0.0.6',
        },
        { kind: 'client', name: 'app-client', uid: 1000, gid: 1000 },
      ],
      forwarding: false,
    },
  ];
}

function scenario(hosts: HostConfig[], traffic: TrafficItem[]): Scenario {
  return {
    world: {
      name: 'harness',
      hosts,
      settings: { seed: 1, unknownMatch: 'stop', loopLimit: 3 },
    },
    traffic,
  };
}

const synTo = (paths: KernelPacketPath[], host: string, dst: string, src = '') =>
  paths.filter(
    (p) => p.host === host && p.tuple.startsWith(`tcp ${src}`) && p.tuple.endsWith(`> ${dst} SYN`),
  );

const show = (paths: KernelPacketPath[]) =>
  paths
    .map(
      (p) =>
        `${p.host} ${p.packetId} ${p.tuple}\n${p.steps.map((s) => `  ${s.hook} ${s.table} ${s.chain} ${s.rule} ${s.verdict}`).join('\n')}`,
    )
    .join('\n');

describe('trace parsing (no kernel needed)', () => {
  it('groups by trace id, maps handles to rule numbers and names the target', () => {
    const text = [
      'trace id 8915d3a4 inet nfdbtrace pre packet: iif "eth0" ip saddr 10.0.0.1 ip daddr 10.0.0.2 ip protocol tcp tcp sport 49518 tcp dport 9080 tcp flags == syn tcp window 64240 ',
      'trace id 8915d3a4 inet nfdbtrace pre rule meta nftrace set 1 # handle 3 (verdict continue)',
      'trace id 8915d3a4 inet nfdbtrace pre policy accept ',
      'trace id 8915d3a4 ip nat PREROUTING packet: iif "eth0" ip saddr 10.0.0.1 ip daddr 10.0.0.2 tcp sport 49518 tcp dport 9080 tcp flags == syn ',
      'trace id 8915d3a4 ip nat PREROUTING rule meta l4proto tcp counter packets 0 bytes 0 jump ISTIO_INBOUND # handle 9 (verdict jump ISTIO_INBOUND)',
      'trace id 8915d3a4 ip nat ISTIO_IN_REDIRECT rule meta l4proto tcp counter packets 0 bytes 0 redirect to :15006 # handle 16 (verdict accept)',
      'trace id 8915d3a4 ip nat INPUT packet: iif "eth0" ip saddr 10.0.0.1 ip daddr 10.0.0.2 tcp sport 49518 tcp dport 15006 tcp flags == syn ',
      'trace id 8915d3a4 ip nat INPUT policy accept ',
      'trace id 0acfa2af inet nfdbtrace out packet: oif "eth0" ip saddr 10.0.0.2 ip daddr 10.0.0.1 ip protocol tcp tcp sport 15006 tcp dport 49518 tcp flags == 0x12 ',
    ].join('\n');
    const targets = targetsFromSave(
      '*nat\n:PREROUTING ACCEPT [0:0]\n:ISTIO_INBOUND - [0:0]\n:ISTIO_IN_REDIRECT - [0:0]\n-A PREROUTING -p tcp -j ISTIO_INBOUND\n-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006\nCOMMIT\n',
      'ip',
    );
    const handles = new Map([
      ['ip nat PREROUTING 9', { number: 1, target: targets.get('ip nat PREROUTING')?.[0] ?? '' }],
      [
        'ip nat ISTIO_IN_REDIRECT 16',
        { number: 1, target: targets.get('ip nat ISTIO_IN_REDIRECT')?.[0] ?? '' },
      ],
    ]);
    const paths = parseTrace('server', text, handles);
    expect(paths).toEqual([
      {
        host: 'server',
        family: 'ipv4',
        packetId: '8915d3a4',
        tuple: 'tcp 10.0.0.1:49518 > 10.0.0.2:9080 SYN',
        steps: [
          {
            hook: 'PREROUTING',
            table: 'nat',
            chain: 'PREROUTING',
            rule: 1,
            verdict: 'jump ISTIO_INBOUND',
            nftVerdict: 'jump ISTIO_INBOUND',
          },
          {
            hook: 'PREROUTING',
            table: 'nat',
            chain: 'ISTIO_IN_REDIRECT',
            rule: 1,
            verdict: 'REDIRECT',
            nftVerdict: 'accept',
          },
          {
            hook: 'INPUT',
            table: 'nat',
            chain: 'INPUT',
            rule: 'policy',
            verdict: 'ACCEPT',
            nftVerdict: 'accept',
          },
        ],
      },
      {
        host: 'server',
        family: 'ipv4',
        packetId: '0acfa2af',
        tuple: 'tcp 10.0.0.2:15006 > 10.0.0.1:49518 SYN,ACK',
        steps: [],
      },
    ]);
  });
});

describe.skipIf(missing !== undefined)(
  `kernel harness${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    it('REDIRECT to envoy: the counter and the SYN path show nat PREROUTING rule 1', async () => {
      const world = twoHosts(rules(REDIRECT_RULES, 'redirect.rules'));
      const result = await runInKernel(
        scenario(world, [
          {
            label: 'curl → server:9080',
            fromHost: 'client',
            process: 'curl',
            to: { address: '10.0.0.2', port: 9080 },
            protocol: 'tcp',
            payload: 10,
          },
        ]),
      );
      expect(result.errors).toEqual([]);
      expect(result.traffic).toMatchObject([{ ok: true, received: 100 }]);
      expect(result.counters.server).toContain(
        '[1:60] -A PREROUTING -p tcp -m tcp --dport 9080 -j REDIRECT --to-ports 15006',
      );
      const syn = synTo(result.paths, 'server', '10.0.0.2:9080', '10.0.0.1:');
      expect(syn, show(result.paths)).toHaveLength(1);
      expect(syn[0]?.family).toBe('ipv4');
      expect(syn[0]?.steps).toContainEqual(
        expect.objectContaining({
          hook: 'PREROUTING',
          table: 'nat',
          chain: 'PREROUTING',
          rule: 1,
          verdict: 'REDIRECT',
        }),
      );
      // envoy read the original destination and reached the app from 127.0.0.6, as uid 1337.
      expect(result.events).toContainEqual(
        expect.objectContaining({
          process: 'envoy',
          event: 'envoy',
          ok: true,
          uid: 1337,
          originalDst: '10.0.0.2:9080',
        }),
      );
      expect(result.events).toContainEqual(
        expect.objectContaining({ process: 'app', event: 'accept', uid: 1000 }),
      );
      const app = result.events.find((e) => e.process === 'app' && e.event === 'accept');
      expect(app?.peer).toMatch(/^127\.0\.0\.6:\d+$/);
    });

    it('Istio sidecar: inbound through envoy from 127.0.0.6, outbound owner match sees uid 1337', async () => {
      const text = readFileSync(`${ROOT}snapshots/rules/istio-sidecar.rules`, 'utf8');
      const world = twoHosts(rules(text, 'istio-sidecar.rules'), {
        client: {
          processes: [
            { kind: 'client', name: 'curl', uid: 1000, gid: 1000 },
            {
              kind: 'server',
              name: 'web',
              uid: 1000,
              gid: 1000,
              listen: [{ address: '0.0.0.0', port: 8080, protocol: 'tcp' }],
              response: 7,
            },
          ],
        },
      });
      const result = await runInKernel(
        scenario(world, [
          {
            label: 'inbound',
            fromHost: 'client',
            process: 'curl',
            to: { address: '10.0.0.2', port: 9080 },
            protocol: 'tcp',
            payload: 10,
          },
          {
            label: 'outbound',
            fromHost: 'server',
            process: 'app-client',
            to: { address: '10.0.0.1', port: 8080 },
            protocol: 'tcp',
            payload: 5,
          },
        ]),
      );
      expect(result.errors).toEqual([]);
      expect(result.traffic).toMatchObject([
        { ok: true, received: 100 },
        { ok: true, received: 7 },
      ]);
      const c = result.counters.server ?? '';
      expect(c).toContain('[1:60] -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006');
      expect(c).toContain('[1:60] -A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN');
      expect(c).toContain('[1:60] -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN');
      expect(c).toContain('[1:60] -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001');

      // Inbound SYN: PREROUTING → ISTIO_INBOUND rule 5 → ISTIO_IN_REDIRECT rule 1 REDIRECT.
      const inbound = synTo(result.paths, 'server', '10.0.0.2:9080').filter((p) =>
        p.tuple.startsWith('tcp 10.0.0.1:'),
      );
      expect(inbound, show(result.paths)).toHaveLength(1);
      expect(inbound[0]?.steps.filter((s) => s.table === 'nat' && s.hook === 'PREROUTING')).toEqual(
        [
          expect.objectContaining({ chain: 'PREROUTING', rule: 1, verdict: 'jump ISTIO_INBOUND' }),
          expect.objectContaining({
            chain: 'ISTIO_INBOUND',
            rule: 5,
            verdict: 'jump ISTIO_IN_REDIRECT',
          }),
          expect.objectContaining({ chain: 'ISTIO_IN_REDIRECT', rule: 1, verdict: 'REDIRECT' }),
        ],
      );
      // envoy's upstream SYN from 127.0.0.6 to the app: ISTIO_OUTPUT rule 1 RETURN.
      const upstream = result.paths.filter(
        (p) => p.host === 'server' && /^tcp 127\.0\.0\.6:\d+ > 10\.0\.0\.2:9080 SYN$/.test(p.tuple),
      );
      expect(upstream.length, show(result.paths)).toBeGreaterThanOrEqual(1);
      expect(upstream[0]?.steps).toContainEqual(
        expect.objectContaining({
          hook: 'OUTPUT',
          chain: 'ISTIO_OUTPUT',
          rule: 1,
          verdict: 'RETURN',
        }),
      );
      const app = result.events.find((e) => e.process === 'app' && e.event === 'accept');
      expect(app?.peer).toMatch(/^127\.0\.0\.6:\d+$/);

      // Outbound: the app's SYN is redirected to 15001; envoy's own SYN returns at rule 4 (uid 1337).
      const appSyn = synTo(result.paths, 'server', '10.0.0.1:8080');
      const outSteps = appSyn.map((p) =>
        p.steps.filter((s) => s.chain === 'ISTIO_OUTPUT' || s.chain === 'ISTIO_REDIRECT'),
      );
      expect(outSteps, show(appSyn)).toContainEqual([
        expect.objectContaining({ chain: 'ISTIO_OUTPUT', rule: 9, verdict: 'jump ISTIO_REDIRECT' }),
        expect.objectContaining({ chain: 'ISTIO_REDIRECT', rule: 1, verdict: 'REDIRECT' }),
      ]);
      expect(outSteps).toContainEqual([
        expect.objectContaining({ chain: 'ISTIO_OUTPUT', rule: 4, verdict: 'RETURN' }),
      ]);
      expect(result.events).toContainEqual(
        expect.objectContaining({
          process: 'envoy',
          listener: 'outbound',
          originalDst: '10.0.0.1:8080',
          ok: true,
        }),
      );
    });

    it('bridge of three, a forwarding router, IPv6, UDP to dns, TPROXY envoy with IP_TRANSPARENT', async () => {
      const routerRules = (family: 'ipv4' | 'ipv6') =>
        rules(
          `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -p udp --dport 53 -j ACCEPT
-A FORWARD -p tcp --dport 9080 -j ACCEPT
COMMIT
`,
          family === 'ipv4' ? 'router.rules' : 'router-v6.rules',
        );
      const tproxy = rules(
        `*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:ISTIO_DIVERT - [0:0]
:ISTIO_TPROXY - [0:0]
-A PREROUTING -i lo -j RETURN
-A PREROUTING -p tcp -m socket --transparent -j ISTIO_DIVERT
-A PREROUTING -p tcp --dport 9080 -j ISTIO_TPROXY
-A ISTIO_DIVERT -j MARK --set-xmark 0x539/0xffffffff
-A ISTIO_DIVERT -j ACCEPT
-A ISTIO_TPROXY ! -d 127.0.0.1/32 -p tcp -j TPROXY --on-port 15006 --on-ip 0.0.0.0 --tproxy-mark 0x539/0xffffffff
COMMIT
`,
        'tproxy.rules',
      );
      const none = { routes: [], ipRules: [], rulesets: [], forwarding: false } as const;
      const client = { kind: 'client', name: 'c', uid: 1000, gid: 1000 } as const;
      const hosts: HostConfig[] = [
        {
          ...none,
          name: 'a',
          interfaces: [{ name: 'eth0', addresses: ['10.1.0.1/24', 'fd00:1::1/64'], link: 'lan1' }],
          routes: [
            { destination: 'default', via: '10.1.0.254', dev: 'eth0' },
            { destination: 'default', via: 'fd00:1::fe', dev: 'eth0' },
          ],
          processes: [client],
        },
        {
          ...none,
          name: 'b',
          interfaces: [{ name: 'eth0', addresses: ['10.1.0.2/24'], link: 'lan1' }],
          routes: [{ destination: 'default', via: '10.1.0.254', dev: 'eth0' }],
          processes: [client],
        },
        {
          ...none,
          name: 'router',
          forwarding: true,
          rulesets: [...routerRules('ipv4'), ...routerRules('ipv6')],
          interfaces: [
            { name: 'eth0', addresses: ['10.1.0.254/24', 'fd00:1::fe/64'], link: 'lan1' },
            { name: 'eth1', addresses: ['10.0.0.254/24', 'fd00:2::fe/64'], link: 'lan2' },
          ],
          processes: [],
        },
        {
          ...none,
          name: 'srv',
          rulesets: tproxy,
          interfaces: [{ name: 'eth0', addresses: ['10.0.0.2/24', 'fd00:2::2/64'], link: 'lan2' }],
          routes: [
            { destination: 'default', via: '10.0.0.254', dev: 'eth0' },
            { destination: 'default', via: 'fd00:2::fe', dev: 'eth0' },
            { destination: 'default', type: 'local', dev: 'lo', table: 133 },
          ],
          ipRules: [{ priority: 32764, fwmark: '0x539/0xffffffff', table: 133 }],
          processes: [
            {
              kind: 'server',
              name: 'app',
              uid: 1000,
              gid: 1000,
              listen: [
                { address: '0.0.0.0', port: 9080, protocol: 'tcp' },
                { address: '::', port: 9080, protocol: 'tcp' },
              ],
              response: 42,
            },
            { kind: 'dns-proxy', name: 'dns', uid: 1337, gid: 1337, address: '10.0.0.2', port: 53 },
            {
              kind: 'envoy',
              name: 'envoy',
              uid: 1337,
              gid: 1337,
              inboundPort: 15006,
              outboundPort: 15001,
              inboundBind: '127.0.0.6',
              tproxy: { mark: 0x539 },
            },
          ],
        },
      ];
      const result = await runInKernel(
        scenario(hosts, [
          {
            fromHost: 'a',
            process: 'c',
            to: { address: '10.0.0.2', port: 9080 },
            protocol: 'tcp',
            payload: 5,
          },
          {
            fromHost: 'b',
            process: 'c',
            to: { address: '10.0.0.2', port: 53 },
            protocol: 'udp',
            payload: 30,
            bind: { port: 5353 },
          },
          {
            fromHost: 'a',
            process: 'c',
            to: { address: 'fd00:2::2', port: 9080 },
            protocol: 'tcp',
            payload: 5,
          },
        ]),
      );
      expect(result.errors).toEqual([]);
      expect(result.traffic).toMatchObject([
        { ok: true, received: 42 },
        { ok: true, local: '10.1.0.2:5353', received: DEFAULT_DNS_RESPONSE },
        { ok: true, received: 42 },
      ]);
      expect(result.counters.router).toContain(
        '[1:58] -A FORWARD -p udp -m udp --dport 53 -j ACCEPT',
      );
      expect(result.counters.router).toContain(
        '[1:60] -A FORWARD -p tcp -m tcp --dport 9080 -j ACCEPT',
      );
      expect(result.counters6.router).toContain(
        '[1:80] -A FORWARD -p tcp -m tcp --dport 9080 -j ACCEPT',
      );
      expect(result.counters.srv).toContain(
        '[1:60] -A ISTIO_TPROXY ! -d 127.0.0.1/32 -p tcp -j TPROXY --on-port 15006 --on-ip 0.0.0.0 --tproxy-mark 0x539/0xffffffff',
      );
      const routed = synTo(result.paths, 'router', '10.0.0.2:9080', '10.1.0.1:');
      expect(routed.map((p) => p.steps)).toEqual([
        [
          {
            hook: 'FORWARD',
            table: 'filter',
            chain: 'FORWARD',
            rule: 3,
            verdict: 'ACCEPT',
            nftVerdict: 'accept',
          },
        ],
      ]);
      const routed6 = synTo(result.paths, 'router', '[fd00:2::2]:9080', '[fd00:1::1]:');
      expect(routed6.map((p) => [p.family, p.steps.map((s) => s.rule)])).toEqual([['ipv6', [3]]]);
      const tproxied = synTo(result.paths, 'srv', '10.0.0.2:9080', '10.1.0.1:');
      expect(tproxied[0]?.steps.map((s) => `${s.chain} ${s.rule} ${s.verdict}`)).toEqual([
        'PREROUTING 3 jump ISTIO_TPROXY',
        'ISTIO_TPROXY 1 TPROXY',
        'INPUT policy ACCEPT',
      ]);
      expect(result.events).toContainEqual(
        expect.objectContaining({
          process: 'envoy',
          via: 'local-address',
          originalDst: '10.0.0.2:9080',
          ok: true,
          uid: 1337,
        }),
      );
      expect(result.events).toContainEqual(
        expect.objectContaining({
          process: 'dns',
          event: 'datagram',
          peer: '10.1.0.2:5353',
          uid: 1337,
        }),
      );
      const app = result.events.filter((e) => e.process === 'app' && e.event === 'accept');
      expect(app.map((e) => e.peer?.replace(/:\d+$/, ''))).toEqual(['127.0.0.6', '[fd00:1::1]']);
    });
  },
);
