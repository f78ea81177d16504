/**
 * kube-proxy's rulesets from the corpus in the built-in pod: the jumps kube-proxy adds apart
 * from its restore input are added, and the default traffic goes to the first Service's
 * ClusterIP, so the DNAT to an endpoint shows and the connection is delivered there.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, nfdb } from './helpers/cli.js';

const FILES = readdirSync(`${CORPUS}/kubernetes`).filter((f) => /^kube-proxy-.*\.rules$/.test(f));

/**
 * Session affinity picks an endpoint with `-m recent`, runtime state nfdb does not have: it stops
 * there unless told to take such a match as matching.
 */
const ASSUME: Readonly<Record<string, readonly string[]>> = {
  'kube-proxy-local-policy-session-affinity.rules': ['--unknown-match', 'match'],
};

describe('nfdb run --rules on kube-proxy rules', () => {
  it('has kube-proxy rulesets to run', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(FILES)('%s: sends the default traffic to a Service and shows its DNAT', (file) => {
    const r = nfdb(['run', '--rules', `${CORPUS}/kubernetes/${file}`, ...(ASSUME[file] ?? [])]);
    expect(r.status).toBe(0);
    const said =
      /^traffic: the app to the first Service, ([\d.]+):(\d+) \(tcp\), from .*:\d+: nat KUBE-SERVICES \d+: /m.exec(
        r.stdout,
      );
    expect(said).not.toBeNull();
    const [, address, port] = said ?? [];
    expect(r.stdout).toContain(
      '(kube-proxy adds those apart from its iptables-restore input): nfdb added them:',
    );
    expect(r.stdout).toContain(
      '  iptables -t nat -I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    );
    expect(r.stdout).toMatch(
      new RegExp(`conntrack DNAT: dst ${address?.replace(/\./g, '\\.')}:${port} → [\\d.]+:\\d+`),
    );
    expect(r.stdout).toMatch(/^ {2}1\. .* → [\d.]+:\d+: delivered to server [\d.]+ /m);
  });

  it('keeps the user’s own traffic, and adds no jump the rules already have', () => {
    const rules = [
      '*nat',
      ':OUTPUT ACCEPT [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-A - [0:0]',
      '-A OUTPUT -j KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j KUBE-SVC-A',
      '-A KUBE-SVC-A -p tcp -j DNAT --to-destination 10.0.0.7:6443',
      'COMMIT',
      '',
    ].join('\n');
    const own = nfdb(['run', '--rules', '-', '--to', '10.0.0.9:80'], rules);
    expect(own.stdout).not.toContain('traffic: the app to the first Service');
    expect(own.stdout).not.toContain('nfdb added');
    const service = nfdb(['run', '--rules', '-'], rules);
    expect(service.stdout).toContain('traffic: the app to the first Service, 10.96.0.1:443 (tcp)');
    expect(service.stdout).toContain('conntrack DNAT: dst 10.96.0.1:443 → 10.0.0.7:6443');
    expect(service.stdout).toMatch(/^ {2}1\. .*: delivered to server 10\.0\.0\.7 /m);
  });
});
