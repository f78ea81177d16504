/**
 * A mixed host: iptables rules and a native nft table on the same hooks. On a nat hook the nat
 * chains of every table are consulted in order only until one binds the connection's NAT
 * (nf_nat_inet_fn), and of equal priorities the later registered runs first: an iptables DNAT
 * loaded after Istio's native table takes the app's connection before Istio's chain sees it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NftRuleset, Scenario, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';
import { simulate } from './simulate.js';

const sidecar = parseRules(readFileSync('test/inputs/nft-istio-sidecar.nft', 'utf8'), {
  file: 'sidecar.nft',
}).nft as NftRuleset;

const iptables = parseRules(
  [
    '*nat',
    ':OUTPUT ACCEPT [0:0]',
    '-A OUTPUT -d 10.0.0.3/32 -p tcp -m tcp --dport 9080 -j DNAT --to-destination 10.0.0.3:9080',
    'COMMIT',
  ].join('\n'),
  { file: 'dnat.rules' },
).rulesets;

function mixed(iptablesLoadedLast: boolean): Scenario {
  const base = bookinfoScenario();
  const hosts = base.world.hosts.map((h) =>
    h.name === 'reviews' ? { ...h, rulesets: iptables, nft: sidecar, iptablesLoadedLast } : h,
  );
  return { ...base, traffic: [base.traffic[1]!], world: { ...base.world, hosts } };
}

/** Where the app's connection to ratings was delivered: the first socket step's words. */
function deliveredTo(t: Trace): string | undefined {
  const first = t.packets.find((p) => p.connectionId === t.connections[0]?.id);
  const step = first && t.steps[first.lastStep];
  return step?.kind === 'socket' ? step.process : undefined;
}

describe('a host with iptables and a native nft table', () => {
  it('lets the nft chain registered later bind the NAT first: Istio captures', () => {
    const t = simulate(mixed(false));
    expect(deliveredTo(t)).toBe('envoy');
  });

  it('lets an iptables DNAT registered later bind first: Istio never sees the connection', () => {
    const t = simulate(mixed(true));
    expect(deliveredTo(t)).toBe('ratings');
    const syn = t.packets[0];
    const istio = t.steps.filter(
      (s, i) =>
        s.kind === 'rule' &&
        s.table.name === 'istio-proxy-nat' &&
        syn !== undefined &&
        i >= syn.firstStep &&
        i <= syn.lastStep,
    );
    expect(istio).toEqual([]);
  });
});
