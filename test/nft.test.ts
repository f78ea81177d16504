/**
 * nft rulesets through the CLI: `check` reads them, `run --rules` simulates them in the built-in
 * pod, `--list` and `--counters` print each nft table as `nft list table` does, with counters.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS, nfdb } from './helpers/cli.js';

describe('nft rulesets on the command line', () => {
  it('check reads an nft file and lists its base chains', () => {
    const r = nfdb(['check', `${CORPUS}/kubernetes/kube-proxy-nft-overall.nft`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('loaded (nft)');
    expect(r.stdout).toContain('nat-output: type nat hook output priority -100');
  });

  it('check reports every error of an nft file at once, exit 1', () => {
    const r = nfdb(['check', 'test/inputs/nft-errors.nft']);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/: error: /g)).toHaveLength(6);
    expect(r.stdout).toContain('nft-errors.nft:3:38: error: ip daddr');
  });

  it('run --list prints the nft table with the counters the traffic moved', () => {
    const r = nfdb([
      'run',
      '--rules',
      'test/inputs/nft-istio-sidecar.nft',
      '--proxy',
      'istio',
      '--list',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# nft list table inet istio-proxy-nat');
    expect(r.stdout).toContain('\t\ttype nat hook output priority -100; policy accept;');
    expect(r.stdout).toContain(
      'meta l4proto tcp counter packets 1 bytes 60 redirect to :15006 # handle 10',
    );
    const counters = nfdb([
      'run',
      '--rules',
      'test/inputs/nft-istio-sidecar.nft',
      '--proxy',
      'istio',
      '--counters',
    ]);
    expect(counters.stdout).toContain('counter packets 1 bytes 60 jump istio-redirect');
  });

  it('run --rules X.nft infers the proxy from the nft tables, naming the rule of each value', () => {
    const r = nfdb(['run', '--rules', `${CORPUS}/istio/nft-capture-tproxy.nft`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'proxy: Istio sidecar (envoy), inferred from the rules (table istio-proxy-nat)',
    );
    expect(r.stdout).toMatch(
      /uid 1337: \S*nft-capture-tproxy\.nft:21: inet istio-proxy-nat istio-output 6: skuid 1337 counter return/,
    );
  });

  it('what-if edits in nft syntax: the inbound capture skipped, a bad handle refused as nft does', () => {
    const sidecar = ['run', '--rules', 'test/inputs/nft-istio-sidecar.nft', '--proxy', 'istio'];
    const r = nfdb([
      ...sidecar,
      '--compare',
      '--edit',
      'insert rule inet istio-proxy-nat istio-in-redirect tcp dport 9080 return',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'reviews: nft insert rule inet istio-proxy-nat istio-in-redirect tcp dport 9080 return',
    );
    expect(r.stdout).toContain('after:  delivered to reviews (uid 1000) on 0.0.0.0:9080');
    // Rules named as nft users find them: chain, position, nft text and handle, nft's verdicts.
    expect(r.stdout).toContain(
      'before: reviews PREROUTING istio-proxy-nat istio-in-redirect 1: meta l4proto tcp counter redirect to :15006 # handle 10 → redirect',
    );
    expect(r.stdout).toContain(
      'after:  reviews PREROUTING istio-proxy-nat istio-in-redirect 1: tcp dport 9080 return # handle 23 → return',
    );
    expect(r.stdout).toContain(
      'reviews istio-proxy-nat output 1: counter jump istio-output # handle 13: 3 → 2 packets',
    );
    expect(r.stdout).not.toMatch(/rule [ne]\d/);
    const refused = nfdb([
      ...sidecar,
      '--edit',
      'delete rule inet istio-proxy-nat istio-in-redirect handle 99',
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Could not process rule: No such file or directory');
  });
});
