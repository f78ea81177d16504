/**
 * A kube-proxy ruleset in the built-in pod. kube-proxy feeds its KUBE-* chains to
 * `iptables-restore --noflush`, and adds the jumps into them from the built-in chains apart,
 * with `iptables -I` (proxier.go, iptablesJumpChains): a dump of what it restores has none, and
 * no packet would ever reach a Service. nfdb adds those jumps where they are missing, and sends
 * the default traffic to a Service's ClusterIP, so that the DNAT to an endpoint shows. Each is
 * said, with the rule it came from.
 */
import { type Chain, findChain, findTable, type Ruleset, type TableName } from '../model/index.js';
import { applyEdit, parseEdit } from '../rules/edits/index.js';
import { ruleSpecText } from '../rules/save.js';

/** kube-proxy's jumps from the built-in chains, in the order they stand there (first first). */
const JUMPS: readonly (readonly [TableName, string, string, string, boolean])[] = [
  ['nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals', false],
  ['nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals', false],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules', false],
  ['filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', true],
  ['filter', 'INPUT', 'KUBE-NODEPORTS', 'kubernetes health check service ports', false],
  [
    'filter',
    'INPUT',
    'KUBE-EXTERNAL-SERVICES',
    'kubernetes externally-visible service portals',
    true,
  ],
  ['filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', true],
  ['filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules', false],
  ['filter', 'FORWARD', 'KUBE-SERVICES', 'kubernetes service portals', true],
  [
    'filter',
    'FORWARD',
    'KUBE-EXTERNAL-SERVICES',
    'kubernetes externally-visible service portals',
    true,
  ],
  ['filter', 'OUTPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', true],
  ['filter', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals', true],
];

function chainOf(ruleset: Ruleset, table: TableName, name: string): Chain | undefined {
  const t = findTable(ruleset, table);
  return t ? findChain(t, name) : undefined;
}

/** Whether the rules are kube-proxy's: a nat KUBE-SERVICES chain. */
export function isKubeProxy(rulesets: readonly Ruleset[]): boolean {
  return rulesets.some((r) => chainOf(r, 'nat', 'KUBE-SERVICES') !== undefined);
}

/** Whether a built-in chain already jumps to the chain. */
function jumpsTo(ruleset: Ruleset, table: TableName, from: string, to: string): boolean {
  const chain = chainOf(ruleset, table, from);
  return chain?.rules.some((r) => r.target?.name === to) ?? false;
}

/**
 * The ruleset with kube-proxy's jumps when it has none of them (a dump of the restore input),
 * and each jump added, as an iptables command.
 */
export function withKubeJumps(ruleset: Ruleset): { ruleset: Ruleset; added: string[] } {
  const added: string[] = [];
  // A dump with any of them is the whole of a node's rules (iptables-save): nothing is missing.
  if (JUMPS.some(([table, from, to]) => jumpsTo(ruleset, table, from, to)))
    return { ruleset, added };
  let current = ruleset;
  // Inserted at the top from the last, so that they stand in kube-proxy's order, before the rest.
  for (const [table, from, to, comment, onlyNew] of [...JUMPS].reverse()) {
    if (!chainOf(current, table, to) || jumpsTo(current, table, from, to)) continue;
    const state = onlyNew ? ' -m conntrack --ctstate NEW' : '';
    const command = `-t ${table} -I ${from} 1${state} -m comment --comment "${comment}" -j ${to}`;
    const parsed = parseEdit(command, current.family);
    if (!parsed.ok) continue;
    const applied = applyEdit(current, parsed.edit);
    if (!applied.ok) continue;
    current = applied.ruleset;
    added.unshift(`iptables ${command}`);
  }
  return { ruleset: current, added };
}

export interface Service {
  readonly address: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  /** `FILE:LINE: nat KUBE-SERVICES 3: -d 172.30.0.41/32 ...`, the rule it was found in. */
  readonly rule: string;
  /** Every DNAT destination of the ruleset: the endpoints that need a listener. */
  readonly endpoints: readonly { readonly address: string; readonly port: number }[];
}

/** The first ClusterIP:port in KUBE-SERVICES that leads to a Service chain (KUBE-SVC-…). */
export function firstService(rulesets: readonly Ruleset[]): Service | undefined {
  for (const ruleset of rulesets) {
    const chain = chainOf(ruleset, 'nat', 'KUBE-SERVICES');
    for (const [i, rule] of (chain?.rules ?? []).entries()) {
      const d = rule.destination;
      const full = ruleset.family === 'ipv4' ? 32 : 128;
      const dport = rule.matches
        .flatMap((m) => m.options)
        .find((o) => o.name === 'dport' && !o.negated)?.values[0];
      const protocol = rule.protocol?.value;
      if (!rule.target?.name.startsWith('KUBE-SVC-') || !d || d.negated || d.value.prefix !== full)
        continue;
      if ((protocol !== 'tcp' && protocol !== 'udp') || !dport || !/^\d+$/.test(dport)) continue;
      const o = rule.origin;
      return {
        address: d.value.address,
        port: Number(dport),
        protocol,
        rule: `${o.file}:${o.line}: nat KUBE-SERVICES ${i + 1}: ${ruleSpecText(rule)}`,
        endpoints: endpointsOf(ruleset),
      };
    }
  }
  return undefined;
}

/** `--to-destination A:P` of every DNAT in nat: where a Service's connections may go. */
function endpointsOf(ruleset: Ruleset): { address: string; port: number }[] {
  const out: { address: string; port: number }[] = [];
  for (const chain of findTable(ruleset, 'nat')?.chains ?? []) {
    for (const rule of chain.rules) {
      if (rule.target?.name !== 'DNAT') continue;
      const to = rule.target.options.find((o) => o.name === 'to-destination')?.values[0] ?? '';
      const m = /^\[?([0-9a-fA-F.:]+?)\]?:(\d+)$/.exec(to);
      if (m?.[1] && m[2]) out.push({ address: m[1], port: Number(m[2]) });
    }
  }
  return out;
}
