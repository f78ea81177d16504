import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '../../model/index.js';
import { detectFormat, formatDiagnostic, parseRules } from '../index.js';

function load(text: string) {
  const r = parseRules(text, { file: 'x.nft' });
  return {
    nft: r.nft as NftRuleset,
    errors: r.diagnostics.map(formatDiagnostic),
    format: r.format,
  };
}

function chain(nft: NftRuleset, table: string, name: string) {
  const c = nft.tables.find((t) => t.name === table)?.chains.find((c) => c.name === name);
  if (!c) throw new Error(`no chain ${name}`);
  return c;
}

describe('the nft reader', () => {
  it('detects knftables scripts and nft listings beside the iptables formats', () => {
    expect(detectFormat(['add table inet istio-proxy-nat'])).toBe('nft');
    expect(detectFormat(['table ip kube-proxy { # handle 3'])).toBe('nft');
    expect(detectFormat(['*nat', ':PREROUTING ACCEPT [0:0]'])).toBe('iptables-save');
  });

  it('reads base chains with named and numeric priorities and their policy', () => {
    const { nft, errors } = load(
      [
        'add table inet t',
        'add chain inet t out { type nat hook output priority -100 ; }',
        'add chain inet t pre { type filter hook prerouting priority dstnat - 5 ; policy drop ; }',
        'add chain inet t user',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(chain(nft, 't', 'out').base).toMatchObject({
      type: 'nat',
      hook: 'OUTPUT',
      priority: -100,
    });
    expect(chain(nft, 't', 'pre').base).toMatchObject({ priority: -105, policy: 'drop' });
    expect(chain(nft, 't', 'user').base).toBeUndefined();
  });

  it('inserts at an index counted from 0 and adds after it, as knftables means', () => {
    const { nft } = load(
      [
        'add table ip t',
        'add chain ip t c',
        'add rule ip t c meta mark 1 accept',
        'add rule ip t c meta mark 2 accept',
        'insert rule ip t c index 0 meta mark 0 accept',
        'insert rule ip t c index 2 meta mark 9 accept',
        'add rule ip t c index 0 meta mark 5 accept',
      ].join('\n'),
    );
    expect(chain(nft, 't', 'c').rules.map((r) => r.text)).toEqual([
      'meta mark 0 accept',
      'meta mark 5 accept',
      'meta mark 1 accept',
      'meta mark 9 accept',
      'meta mark 2 accept',
    ]);
  });

  it('flush table empties the chains, and reads sets, maps and elements with concatenations', () => {
    const text = readFileSync('test/corpus/kubernetes/kube-proxy-nft-overall.nft', 'utf8');
    const { nft, errors } = load(text);
    expect(errors).toEqual([]);
    const table = nft.tables[0];
    const serviceIps = table?.sets.find((s) => s.name === 'service-ips');
    expect(serviceIps?.keyType).toEqual(['ipv4_addr', 'inet_proto', 'inet_service']);
    expect(serviceIps?.elements[0]).toMatchObject({
      key: [{ text: '172.30.0.41' }, { text: 'tcp' }, { text: '80' }],
      verdict: { kind: 'goto', chain: 'service-ULMVA6XW-ns1/svc1/tcp/p80' },
    });
    const affinity = table?.sets.find((s) => s.name.startsWith('affinity-'));
    expect(affinity).toMatchObject({ flags: ['dynamic', 'timeout'], timeout: 10800 });
    const flushed = load(
      'add table ip t\nadd chain ip t c\nadd rule ip t c accept\nflush table ip t',
    );
    expect(chain(flushed.nft, 't', 'c').rules).toEqual([]);
  });

  it('reads nft -a list ruleset with handles and counters', () => {
    const text = readFileSync('test/inputs/nft-listed-tproxy-kube-proxy.nft', 'utf8');
    const { nft, errors } = load(text);
    expect(errors).toEqual([]);
    const out = chain(nft, 'istio-proxy-nat', 'output');
    expect(out.handle).toBe(2);
    expect(out.base).toMatchObject({ type: 'nat', hook: 'OUTPUT', priority: -100 });
    expect(out.rules.map((r) => r.handle)).toEqual([9, 13]);
    expect(out.rules[1]?.statements.map((s) => s.kind)).toEqual(['counter', 'verdict']);
    const pre = chain(nft, 'istio-proxy-nat', 'prerouting');
    expect(pre.base?.priorityText).toBe('dstnat');
    const kp = nft.tables.find((t) => t.name === 'kube-proxy');
    expect(kp?.sets.find((s) => s.name === 'service-ips')?.elements).toHaveLength(9);
  });

  it('reports every bad line at once with line, column, expected and found', () => {
    const text = readFileSync('test/inputs/nft-errors.nft', 'utf8');
    const { errors } = load(text);
    expect(errors).toEqual([
      'x.nft:3:38: error: ip daddr: not a value of type ipv4_addr (expected an IPv4 address, prefix or range, found "300.1.1.1")',
      'x.nft:4:39: error: tcp dport: not a value of type inet_service (expected a port, a port range or a service name, found "99999")',
      'x.nft:5:51: error: jump to a chain that table inet broken does not have (expected a chain of the table, found "nowhere")',
      'x.nft:6:29: error: unknown statement (expected a match or statement, found "frobnicate")',
      'x.nft:7:22: error: no chain missing in table inet broken (expected a chain added before, found "missing")',
      'x.nft:8:38: error: ct state: not a value of type ct_state (expected a conntrack state (new, established, related, invalid, untracked), found "bogus")',
    ]);
  });

  it('takes a set the text does not declare as a warning: istio-cni makes it first', () => {
    const r = parseRules(readFileSync('test/corpus/istio/nft-cni-inpod-hostprobe.nft', 'utf8'), {
      file: 'h.nft',
    });
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(r.diagnostics[0]?.message).toContain('@istio-inpod-probes-v4');
  });
});
