/**
 * `nfdb live` against a real pod (./live/pod.ts): the capture holds the rules with their
 * counters, the addresses, the route and the listeners with their uids; capturing changes
 * nothing in the kernel; the captured world, simulated, takes the paths the kernel takes when it
 * is built for real; both iptables backends holding rules is warned about; and every reason not
 * to capture is a clear error with exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../source/io/read-scenario.js';
import { simulate } from '../../source/world/simulate.js';
import { nfdb, ROOT } from '../helpers/cli.js';
import { expectKernelAgrees, expectPathsAgree } from './differential.js';
import { runInKernel } from './harness/index.js';
import { sh } from './harness/shell.js';
import { LivePod, RunningNfdb } from './live/pod.js';
import { kernelMissing } from './missing.js';

const missing = kernelMissing();
if (missing) console.warn(`\n*** LIVE CAPTURE TESTS SKIPPED: ${missing} ***\n`);

const tmp = mkdtempSync(join(tmpdir(), 'nfdb-live-'));

/** What a capture must leave as it was, each read twice: before and after. */
async function kernelState(pod: LivePod): Promise<Record<string, string>> {
  const reads: Record<string, [string, string[]]> = {
    'iptables-nft-save': ['iptables-nft-save', []],
    'iptables-legacy-save': ['iptables-legacy-save', []],
    'ip6tables-nft-save': ['ip6tables-nft-save', []],
    'ip6tables-legacy-save': ['ip6tables-legacy-save', []],
    'legacy tables': ['cat', ['/proc/net/ip_tables_names', '/proc/net/ip6_tables_names']],
    'nft list ruleset': ['nft', ['list', 'ruleset']],
    'ip rule': ['ip', ['rule']],
    'ip -6 rule': ['ip', ['-6', 'rule']],
    'ip route show table all': ['ip', ['route', 'show', 'table', 'all']],
    'ip -6 route show table all': ['ip', ['-6', 'route', 'show', 'table', 'all']],
    sockets: ['ss', ['-tuapn']],
  };
  const out: Record<string, string> = {};
  for (const [what, [command, args]] of Object.entries(reads)) {
    const r = await pod.exec(command, args);
    // The save tools date their output in comments.
    out[what] = `${r.status} ${r.stdout.replace(/^#.*\n?/gm, '')}`;
  }
  return out;
}

describe.skipIf(missing !== undefined)('nfdb live against a real pod', () => {
  let pod: LivePod;
  let saved: string;
  let capture: ReturnType<typeof nfdb>;
  let before: Record<string, string>;
  let after: Record<string, string>;

  beforeAll(async () => {
    pod = await LivePod.create();
    const connected = await pod.connectFromPeer(9080);
    expect(connected.stderr).toBe('');
    before = await kernelState(pod);
    saved = join(tmp, 'pod.json');
    capture = nfdb(['live', '--netns', pod.name, '--save', saved]);
    after = await kernelState(pod);
  });

  afterAll(async () => {
    await pod?.remove();
  });

  it('captures the rules with their counters, the addresses, the route and the listeners', () => {
    expect(capture.stderr).toBe('');
    expect(capture.status).toBe(0);
    expect(capture.stdout).toContain('iptables-nft-save: 18 rules');
    expect(capture.stdout).toContain('proxy: Istio sidecar (envoy), inferred from the rules');
    const file = JSON.parse(readFileSync(saved, 'utf8'));
    const host = file.hosts.find((h: { name: string }) => h.name === pod.name);
    // The peer's connection went through ISTIO_INBOUND's capture of every port.
    expect(host.rules).toMatch(/^\[1:60\] -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT$/m);
    expect(host.interfaces).toEqual([{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' }]);
    expect(host.routes).toEqual([{ destination: 'default', dev: 'eth0', via: '10.0.0.1' }]);
    const kinds = host.processes
      .toSorted((a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind))
      .map((p: { kind: string; uid: number; gid: number }) => [p.kind, p.uid, p.gid]);
    expect(kinds).toEqual([
      ['envoy', 1337, 1337],
      ['server', 1000, 1000],
    ]);
    const envoy = host.processes.find((p: { kind: string }) => p.kind === 'envoy');
    const app = host.processes.find((p: { kind: string }) => p.kind === 'server');
    expect([envoy.inboundPort, envoy.outboundPort, envoy.extraListen[0].port]).toEqual([
      15006, 15001, 15021,
    ]);
    expect(app.listen).toEqual([{ address: '0.0.0.0', port: 9080, protocol: 'tcp' }]);
  });

  it('changes nothing in the kernel: rules, nft, ip rules, routes and sockets are as before', () => {
    expect(after).toEqual(before);
  });

  it('simulates the capture on the paths the kernel takes when it is built for real', async () => {
    // The harness loads rules with zero counters: so does the simulation here.
    const text = readFileSync(saved, 'utf8').replace(/\[\d+:\d+\]/g, '[0:0]');
    const loaded = loadScenarioText(text, saved);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const labels = loaded.scenario.traffic.map(
      (t) => `${t.fromHost} → ${t.to.address}:${t.to.port}`,
    );
    expect(labels).toEqual([
      `peer → 10.0.0.2:9080`,
      `peer → 10.0.0.2:15021`,
      `${pod.name} → 10.0.0.3:80`,
      `${pod.name} → 10.0.0.3:80`,
      `${pod.name} → 127.0.0.1:9080`,
    ]);
    await expectKernelAgrees(loaded.scenario);
  });

  it('captures the namespace of a process with --pid', async () => {
    const pids = (await sh('ip', ['netns', 'pids', pod.name])).stdout.trim().split('\n');
    const file = join(tmp, 'by-pid.json');
    const r = nfdb(['live', '--pid', pids[0] ?? '', '--save', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`captured the network namespace of pid ${pids[0]}`);
    const host = JSON.parse(readFileSync(file, 'utf8')).hosts[0];
    expect(host.interfaces).toEqual([{ name: 'eth0', addresses: ['10.0.0.2/24'], link: 'pods' }]);
  });

  it('reads the listeners from /proc without ss, and says what it could not know', () => {
    const bin = mkdtempSync(join(tmpdir(), 'nfdb-live-bin-'));
    const tools = ['ip', 'nft', 'cat', 'iptables-nft-save', 'iptables-legacy-save'];
    for (const tool of tools)
      symlinkSync(
        spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(),
        join(bin, tool),
      );
    const file = join(tmp, 'no-ss.json');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli.js'), 'live', '--netns', pod.name, '--save', file],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: bin },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'warning: not captured: socket marks: no ss, listeners read from /proc/net',
    );
    expect(r.stdout).toContain('warning: not captured: ip6tables-nft-save is not installed');
    const host = JSON.parse(readFileSync(file, 'utf8')).hosts[0];
    const kinds = host.processes
      .map((p: { kind: string; uid: number }) => `${p.kind} ${p.uid}`)
      .sort();
    expect(kinds).toEqual(['envoy 1337', 'server 1000']);
  });

  it('warns when iptables-legacy holds rules beside iptables-nft', async () => {
    const added = await pod.exec('iptables-legacy', [
      '-t',
      'filter',
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '--dport',
      '1',
      '-j',
      'ACCEPT',
    ]);
    expect(added.stderr).toBe('');
    try {
      const r = nfdb(['live', '--netns', pod.name, '--save', join(tmp, 'both.json')]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('iptables-legacy-save: 1 rules');
      expect(r.stdout).toContain('warning: both iptables-nft and iptables-legacy hold IPv4 rules');
    } finally {
      await pod.exec('iptables-legacy', ['-t', 'filter', '-F', 'INPUT']);
    }
  });
});

describe.skipIf(missing !== undefined)('nfdb live against a native nftables sidecar', () => {
  let pod: LivePod;
  let saved: string;
  let capture: ReturnType<typeof nfdb>;

  beforeAll(async () => {
    pod = await LivePod.create(
      readFileSync(join(ROOT, 'test/inputs/nft-istio-sidecar.nft'), 'utf8'),
    );
    saved = join(tmp, 'nft-pod.json');
    capture = nfdb(['live', '--netns', pod.name, '--save', saved]);
  });

  afterAll(async () => {
    await pod?.remove();
  });

  it('reads the native tables from nft -j list ruleset and infers the proxy from them', () => {
    expect(capture.stderr).toBe('');
    expect(capture.status).toBe(0);
    expect(capture.stdout).toContain(
      'nft -j list ruleset: native table inet istio-proxy-nat (prerouting priority dstnat, output priority -100), simulated beside iptables',
    );
    expect(capture.stdout).toContain('proxy: Istio sidecar (envoy), inferred from the rules');
    expect(capture.stdout).not.toContain('is not simulated');
  });

  it("simulates the capture on the kernel's paths through the native tables", async () => {
    // The harness loads the tables with zero counters: so does the simulation here.
    const text = readFileSync(saved, 'utf8').replace(/counter packets \d+ bytes \d+/g, 'counter');
    const loaded = loadScenarioText(text, saved);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const host = loaded.scenario.world.hosts.find((h) => h.name === pod.name);
    expect(host?.nft?.tables.map((t) => t.name)).toContain('istio-proxy-nat');
    expect(
      loaded.scenario.traffic.map((t) => `${t.fromHost} → ${t.to.address}:${t.to.port}`),
    ).toContain('peer → 10.0.0.2:9080');
    // Native tables: verdicts compared in nft's trace words (`redirect`, not `ACCEPT`).
    const kernel = await runInKernel(loaded.scenario, { timeoutMs: 40_000 });
    expect(kernel.errors).toEqual([]);
    expectPathsAgree(simulate(loaded.scenario), kernel, new Set(), 'nft');
  });
});

describe.skipIf(missing !== undefined)('nfdb live --trace against a real pod', () => {
  let pod: LivePod;
  const traceTables = async () =>
    (await pod.exec('nft', ['list', 'tables'])).stdout.match(/nfdb_trace_\S+/g) ?? [];
  const trace = () =>
    new RunningNfdb(['live', '--netns', pod.name, '--trace', 'tcp port 9080', '--allow-trace']);

  beforeAll(async () => {
    pod = await LivePod.create();
  });

  afterAll(async () => {
    await pod?.remove();
  });

  it('shows the real path of a connection beside the simulated one, and takes its table away', async () => {
    const nfdbLive = trace();
    expect(await nfdbLive.said('tracing')).toBe(true);
    expect(await traceTables()).toHaveLength(1);
    expect((await pod.connectFromPeer(9080)).stderr).toBe('');
    nfdbLive.signal('SIGTERM');
    expect(await nfdbLive.exited).toBe(0);
    expect(nfdbLive.stdout).toContain(
      `${pod.name}: tcp 10.0.0.1 > 10.0.0.2:9080 SYN (simulated: peer → 10.0.0.2:9080): the same path`,
    );
    expect(nfdbLive.stdout).toContain('nat ISTIO_IN_REDIRECT 1 REDIRECT');
    expect(nfdbLive.stdout).not.toContain('≠');
    expect(await traceTables()).toEqual([]);
  });

  it('leaves a table when killed, which the next --trace removes and says so', async () => {
    const killed = trace();
    expect(await killed.said('tracing')).toBe(true);
    killed.signal('SIGKILL');
    await killed.exited;
    const left = await traceTables();
    expect(left).toHaveLength(1);
    const next = trace();
    expect(await next.said('tracing')).toBe(true);
    expect(next.stderr).toContain(
      `nfdb live: removed nft table inet ${left[0]}, left by an earlier`,
    );
    next.signal('SIGTERM');
    expect(await next.exited).toBe(0);
    expect(await traceTables()).toEqual([]);
  });

  it('needs --allow-trace, since it writes to the kernel', () => {
    const r = nfdb(['live', '--netns', pod.name, '--trace', 'tcp port 9080']);
    expect(r.stderr).toContain('nfdb live: --trace writes to the kernel');
    expect(r.status).toBe(2);
  });
});

describe.skipIf(missing !== undefined)('nfdb live refuses what it cannot capture', () => {
  it('names a namespace that does not exist', () => {
    const r = nfdb(['live', '--netns', 'nfdb-no-such-ns', '--save', join(tmp, 'x.json')]);
    expect(r.stderr).toBe(
      'nfdb live: --netns nfdb-no-such-ns: no such network namespace (ip netns list shows those there are)\n',
    );
    expect(r.status).toBe(1);
  });

  it('names a process that does not exist', () => {
    const r = nfdb(['live', '--pid', '999999999', '--save', join(tmp, 'x.json')]);
    expect(r.stderr).toBe('nfdb live: --pid 999999999: no such process\n');
    expect(r.status).toBe(1);
  });

  it('says which capability is missing', async () => {
    const r = await sh(
      'capsh',
      [
        '--drop=cap_net_admin',
        '--',
        '-c',
        `exec ${process.execPath} dist/cli.js live --save x.json`,
      ],
      { timeoutMs: 20_000 },
    );
    expect(r.stderr).toContain('nfdb live: needs CAP_NET_ADMIN (to read the rules)');
    expect(r.status).toBe(1);
  });

  it('says so when the namespace has no rules at all', async () => {
    const ns = `nfl-${process.pid}-empty`;
    await sh('ip', ['netns', 'add', ns]);
    try {
      const r = nfdb(['live', '--netns', ns, '--save', join(tmp, 'x.json')]);
      expect(r.stderr).toContain(`nfdb live: no iptables rules in network namespace ${ns}`);
      expect(r.status).toBe(1);
    } finally {
      await sh('ip', ['netns', 'del', ns]);
    }
  });
});
