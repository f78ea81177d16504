/**
 * `--rules` with the proxy its rules were written for: every corpus ruleset of a mesh runs
 * without a false loop, with the traffic captured by the proxy as the rules intend, and nfdb says
 * what it inferred before the findings. The proxy and traffic flags, through the built CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, nfdb } from './helpers/cli.js';

/** The first block of findings: each connection's outcome, then the loop verdict. */
function findings(stdout: string): string {
  const lines = stdout.split('\n');
  const start = lines.indexOf('Findings');
  return lines.slice(start, lines.indexOf('', start)).join('\n');
}

const run = (file: string, ...flags: string[]) => nfdb(['run', '--rules', file, ...flags]);

describe('every corpus ruleset of a mesh, with the proxy inferred from it', () => {
  it.each([
    ['istio/cni-inpod-default.rules', 'ztunnel', 2],
    ['istio/cni-inpod-default_ipv6.rules', 'ztunnel', 2],
    ['istio/cni-inpod-dns_pod_disabled_and_on_globally.rules', 'ztunnel', 2],
    ['istio/capture-tproxy.rules', 'envoy', 1],
    ['istio/nft-cni-inpod-default.nft', 'ztunnel', 2],
    ['istio/nft-cni-inpod-dns_pod_disabled_and_on_globally.nft', 'ztunnel', 2],
    ['istio/nft-capture-tproxy.nft', 'envoy', 1],
    ['istio/nft-capture-kube-virt-interfaces.nft', 'envoy', 1],
    ['istio/cni-plugin-tproxy.rules', 'envoy', 2],
    ['seed/istio-sidecar.rules', 'envoy', 2],
    ['kuma/ubuntu-24-04-default.iptables-nft.rules', 'kuma-dp', 2],
    ['kuma/alpine-3-with-multiple-config-flags.iptables-nft.rules', 'kuma-dp', 2],
    ['kuma/ubuntu-24-04-with-multiple-flags.ip6tables-nft.rules', 'kuma-dp', 2],
    ['consul/redirect-traffic-dns-ip-port.cmds', 'envoy', 2],
    ['consul/redirect-traffic-exclude-cidrs.cmds', 'envoy', 2],
    ['consul/redirect-traffic-exclude-uids-additional-rules.cmds', 'envoy', 2],
  ] as const)('%s: no loop, %s takes the connections the rules send it', (file, proxy, proxied) => {
    const r = run(join(CORPUS, file));
    expect(r.status).toBe(0);
    const found = findings(r.stdout);
    expect(found).not.toContain('Loop:');
    expect(found).toContain(`every connection a proxy opened (${proxied}) was let out`);
    expect(
      found.match(new RegExp(`delivered to ${proxy} \\(uid \\d+\\) on \\S+:\\d+`, 'g')),
    ).toHaveLength(proxied);
    expect(r.stdout.indexOf('proxy: ')).toBe(0);
  });

  it.each(['linkerd/proxy-init-fresh-install.cmds', 'linkerd/proxy-init-existing-nat.rules'])(
    '%s: a real loop (nothing exempts the proxy), warned of before the findings',
    (file) => {
      const r = run(join(CORPUS, file));
      const head = r.stdout.slice(0, r.stdout.indexOf('Findings'));
      expect(head).toContain('proxy: Linkerd (linkerd2-proxy), inferred from the rules');
      expect(head).toContain('outbound port 1234: ');
      expect(head).toContain("warning: the rules let none of the proxy's own connections out");
      expect(findings(r.stdout)).toContain('Loop: linkerd-proxy on reviews re-opens 10.0.0.3:9080');
    },
  );

  it('asks DNS of the proxy when the rules capture it, at the resolver they name', () => {
    const ambient = findings(run(join(CORPUS, 'istio/cni-inpod-default.rules')).stdout);
    expect(ambient).toMatch(
      /reviews → DNS 10\.96\.0\.10:53: delivered to ztunnel dns \(uid 0\) on 0\.0\.0\.0:15053/,
    );
    const sidecar = findings(run(join(CORPUS, 'istio/capture-tproxy.rules')).stdout);
    expect(sidecar).toMatch(/reviews → DNS 127\.0\.0\.53:53: delivered to envoy dns \(uid 1337\)/);
    const consul = findings(run(join(CORPUS, 'consul/redirect-traffic-exclude-cidrs.cmds')).stdout);
    expect(consul).not.toContain('DNS');
  });

  it('says what it inferred and from which rules, before the findings', () => {
    const file = join(CORPUS, 'istio/cni-inpod-default.rules');
    const lines = run(file).stdout.split('\n');
    expect(lines[0]).toBe(
      "proxy: Istio ambient, in-pod (ztunnel), inferred from the rules (istio-cni's in-pod chain ISTIO_PRERT): ztunnel (uid 0, gid 0, inbound 15006, outbound 15001, inbound from 127.0.0.6, socket mark 0x539)",
    );
    expect(lines).toContain(
      `  socket mark 0x539: ${file}:23: nat ISTIO_OUTPUT 6: ! -d 127.0.0.1/32 -p tcp -m mark ! --mark 0x539/0xfff -j REDIRECT --to-ports 15001`,
    );
    expect(lines.indexOf('Findings')).toBeGreaterThan(lines.indexOf(lines[0] ?? ''));
  });

  it('warns, naming the rule, when the named proxy lacks the mark the rules let out', () => {
    const file = join(CORPUS, 'istio/cni-inpod-default.rules');
    const r = run(file, '--proxy', 'istio');
    expect(r.stdout).toContain(
      `warning: the rules let out connections by mark 0x539/0xfff (${file}:19:`,
    );
    expect(findings(r.stdout)).toContain('Loop: envoy on reviews');
    expect(findings(run(file, '--proxy', 'istio', '--proxy-mark', '0x539').stdout)).not.toContain(
      'Loop:',
    );
  });
});

describe('--rules in run and the UI', () => {
  it('reads standard input with -', () => {
    const text = readFileSync(join(CORPUS, 'kuma/ubuntu-24-04-default.iptables-nft.rules'), 'utf8');
    for (const args of [
      ['run', '--rules', '-'],
      ['--rules', '-', '--no-tui'],
    ]) {
      const r = nfdb(args, text);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(
        'nfdb: <stdin> (as iptables-nft loads it) in the reviews sidecar pod, with kuma-dp (uid 5678) inferred from the rules\n',
      );
      expect(r.stdout).toContain('  uid 5678: <stdin>:17: nat KUMA_MESH_OUTBOUND 4:');
    }
  });

  it('is misuse without a value', () => {
    for (const args of [['--rules'], ['run', '--rules']]) {
      const r = nfdb(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('nfdb: --rules needs a value: a file, or - for standard input\n');
    }
  });

  it('keeps --json on standard output as JSON, what was inferred going to standard error', () => {
    const r = run(join(CORPUS, 'kuma/ubuntu-24-04-default.iptables-nft.rules'), '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).version).toBe(3);
    expect(r.stderr).toContain('proxy: Kuma (kuma-dp, envoy), inferred from the rules');
  });
});

describe('the proxy and traffic flags', () => {
  it('send the traffic asked for, as the uid asked for', () => {
    const r = nfdb([
      'run',
      '--rules',
      join(CORPUS, 'kuma/ubuntu-24-04-default.iptables-nft.rules'),
      '--to',
      '1.1.1.1:443',
      '--to',
      '10.0.0.2:8080',
      '--uid',
      '5678',
    ]);
    expect(r.status).toBe(0);
    const found = findings(r.stdout);
    // As kuma-dp's uid the call out is let through, and the call to its own pod goes to 15006.
    expect(found).toContain(
      '1. reviews (uid 5678, gid 1000)@reviews → 1.1.1.1:443: delivered to server 1.1.1.1',
    );
    expect(found).toMatch(
      /2\. productpage \(uid 5678, gid 1000\)@productpage → 10\.0\.0\.2:8080: delivered to kuma-dp/,
    );
  });

  it('apply to the built-in scenario without --rules', () => {
    const r = nfdb([
      'run',
      '--proxy',
      'linkerd',
      '--outbound-port',
      '15001',
      '--inbound-port',
      '15006',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^proxy: Linkerd \(linkerd2-proxy\), --proxy linkerd: /,
    );
    expect(r.stdout).toContain('warning: the rules let out connections by uid 1337');
  });

  it.each([
    [['--proxy', 'envoy'], '--proxy "envoy": expected istio, istio-ambient, linkerd, kuma, consul'],
    [['--proxy-uid', 'root'], '--proxy-uid "root": expected an id from 0 to 4294967294'],
    [['--inbound-port', '0'], '--inbound-port "0": expected a port from 1 to 65535'],
    [['--proxy-mark', '0x1ffffffff'], '--proxy-mark "0x1ffffffff": expected a mark, 0x539 or 1337'],
    [['--inbound-bind', 'lo'], '--inbound-bind "lo": expected an IPv4 or IPv6 address'],
    [['--to', '10.0.0.2'], '--to "10.0.0.2": expected ADDRESS:PORT, [IPv6]:PORT'],
    [
      ['--to', '10.0.0.2:80', '--from', 'pod'],
      '--from "pod": expected app, proxy, peer, outside, node',
    ],
    [['--to', '10.0.0.2:80', '--proto', 'sctp'], '--proto "sctp": expected tcp, udp'],
    [
      ['--uid', '7'],
      '--from, --proto, --uid and --gid describe the traffic of --to ADDR:PORT: give --to',
    ],
  ])('refuses %j (exit 2)', (flags, message) => {
    for (const mode of [['run'], ['--no-tui']]) {
      const r = nfdb([...mode, ...flags]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`nfdb: ${message}\n`);
    }
  });

  it('refuses them with a scenario file, and in check', () => {
    const scenario = join(CORPUS, '../../snapshots/sidecar-inbound.json');
    expect(nfdb(['run', scenario, '--proxy', 'kuma']).status).toBe(2);
    const check = nfdb(['check', '--to', '10.0.0.2:80', '-'], '');
    expect(check.status).toBe(2);
    expect(check.stderr).toBe(
      "nfdb: --to does not apply to 'nfdb check': it is for the UI, run, live, report\n",
    );
  });
});
