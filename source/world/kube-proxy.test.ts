import { describe, expect, it } from 'vitest';
import { findChain, findTable, type Ruleset } from '../model/index.js';
import { parseRules, ruleSpecText } from '../rules/index.js';
import { firstService, isKubeProxy, withKubeJumps } from './kube-proxy.js';

function load(...lines: string[]): Ruleset {
  const r = parseRules(`${lines.join('\n')}\n`, { file: 'k.rules' });
  return r.rulesets[0] as Ruleset;
}

const RESTORED = [
  '*nat',
  ':KUBE-SERVICES - [0:0]',
  ':KUBE-POSTROUTING - [0:0]',
  ':KUBE-SVC-A - [0:0]',
  '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-A',
  '-A KUBE-SVC-A -p udp -j DNAT --to-destination 10.0.0.7:53',
  'COMMIT',
];

const rulesOf = (r: Ruleset, chain: string) => {
  const table = findTable(r, 'nat');
  return (table ? findChain(table, chain)?.rules : undefined)?.map(ruleSpecText) ?? [];
};

describe('kube-proxy rules in the built-in pod', () => {
  it('adds the jumps kube-proxy makes apart from its restore input, for the chains it has', () => {
    const ruleset = load(...RESTORED);
    expect(isKubeProxy([ruleset])).toBe(true);
    const { ruleset: jumped, added } = withKubeJumps(ruleset);
    expect(added).toEqual([
      'iptables -t nat -I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'iptables -t nat -I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'iptables -t nat -I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ]);
    expect(rulesOf(jumped, 'OUTPUT')).toEqual([
      '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
  });

  it('adds nothing to a node’s whole dump, which has them', () => {
    const whole = load(
      RESTORED[0] as string,
      ':OUTPUT ACCEPT [0:0]',
      ...RESTORED.slice(1, -1),
      '-A OUTPUT -j KUBE-SERVICES',
      'COMMIT',
    );
    expect(withKubeJumps(whole).added).toEqual([]);
  });

  it('finds the first ClusterIP and port, and every endpoint', () => {
    expect(firstService([load(...RESTORED)])).toMatchObject({
      address: '10.96.0.10',
      port: 53,
      protocol: 'udp',
      rule: 'k.rules:5: nat KUBE-SERVICES 1: -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-A',
      endpoints: [{ address: '10.0.0.7', port: 53 }],
    });
    expect(isKubeProxy([load('*nat', ':OUTPUT ACCEPT [0:0]', 'COMMIT')])).toBe(false);
  });
});
