/**
 * Istio's native nftables mode runs the sidecar's capture as the iptables rules do: the same
 * connections reach the same sockets, envoy opens the same new connections, and the counters
 * that move are those of the rules with a `counter` statement on the path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NftRuleset, Scenario, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { deltasUpTo } from '../trace/counters.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';

function nft(file: string): NftRuleset {
  const r = parseRules(readFileSync(file, 'utf8'), { file });
  if (!r.nft) throw new Error('not nft');
  return r.nft;
}

function withNft(base: Scenario, host: string, rules: NftRuleset): Scenario {
  const hosts = base.world.hosts.map((h) =>
    h.name === host ? { ...h, rulesets: [], nft: rules } : h,
  );
  return { ...base, world: { ...base.world, hosts } };
}

/** What a user reads first: who connected where, and what became of each packet. */
function outcome(t: Trace) {
  return t.connections.map((c) => ({
    from: `${c.fromHost}/${c.fromProcess}`,
    to: `${c.to.address}:${c.to.port}`,
    bind: c.proxyBind,
    parent: c.parent,
    fates: t.packets.filter((p) => p.connectionId === c.id).map((p) => p.fate),
  }));
}

describe('a native nftables sidecar', () => {
  const base = bookinfoScenario();
  const rules = nft('test/inputs/nft-istio-sidecar.nft');
  const trace = simulate(withNft(base, 'reviews', rules));

  it('captures inbound and outbound as the iptables sidecar does', () => {
    expect(outcome(trace)).toEqual(outcome(simulate(base)));
    expect(trace.connections).toHaveLength(4);
  });

  it('names the nft table and chain of each rule step', () => {
    const redirect = trace.steps.find(
      (s) => s.kind === 'rule' && s.matched && s.chain === 'istio-in-redirect',
    );
    expect(redirect).toMatchObject({
      table: { family: 'inet', name: 'istio-proxy-nat' },
      hook: 'PREROUTING',
      verdict: { kind: 'target', name: 'redirect' },
    });
  });

  it('moves the counters of the rules with a counter statement, once per first packet', () => {
    const deltas = deltasUpTo(trace);
    const table = rules.tables[0];
    const rule = (chain: string, i: number) =>
      table?.chains.find((c) => c.name === chain)?.rules[i]?.id ?? '';
    const key = (chain: string, i: number) =>
      `reviews|ipv4|istio-proxy-nat|${chain}|${rule(chain, i)}`;
    // Inbound: productpage's SYN only (nat sees a connection's first packet).
    expect(deltas.get(key('istio-in-redirect', 0))?.packets).toBe(1);
    // Outbound: the app's connection to ratings is redirected to 15001.
    expect(deltas.get(key('istio-redirect', 0))?.packets).toBe(1);
    // envoy's own connections out return at `skuid 1337`.
    expect(deltas.get(key('istio-output', 3))?.packets).toBe(1);
  });

  it('takes a rule without a counter statement as counting nothing', () => {
    const plain = parseRules(
      [
        'add table ip t',
        'add chain ip t out { type filter hook output priority 0 ; }',
        'add rule ip t out meta l4proto tcp accept',
      ].join('\n'),
      { file: 'plain.nft' },
    ).nft as NftRuleset;
    const t = simulate(withNft(base, 'reviews', plain));
    const matched = t.steps.filter((s) => s.kind === 'rule' && s.matched);
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((s) => s.counters.length === 0)).toBe(true);
  });
});
