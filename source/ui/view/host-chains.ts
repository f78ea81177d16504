import type { Hook, NftTable, Ruleset, Scenario, Trace } from '../../model/index.js';
import { hookOf } from '../../trace/words/index.js';
import type { ChainRef } from './focus-chain.js';

export function rulesetFor(
  scenario: Scenario,
  host: string,
  family: 'ipv4' | 'ipv6',
): Ruleset | undefined {
  return scenario.world.hosts
    .find((h) => h.name === host)
    ?.rulesets.find((r) => r.family === family);
}

/** The host's nft tables a packet of this family goes through (inet ones for both). */
function nftTablesFor(scenario: Scenario, host: string, family: 'ipv4' | 'ipv6'): NftTable[] {
  const tables = scenario.world.hosts.find((h) => h.name === host)?.nft?.tables ?? [];
  const own = family === 'ipv4' ? 'ip' : 'ip6';
  return tables.filter((t) => t.family === 'inet' || t.family === own);
}

/** Per host and family: listed once, not on every frame of browsing 60,000 chains. */
const listed = new WeakMap<object, Map<string, ChainRef[]>>();

/**
 * Every chain of the host the step is on, for browsing with { }: iptables' in iptables-save
 * order, then the nft tables' as `nft list ruleset` lists them.
 */
export function hostChains(scenario: Scenario, trace: Trace, cursor: number): ChainRef[] {
  const step = trace.steps[cursor];
  if (!step) return [];
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  const host = scenario.world.hosts.find((h) => h.name === step.host);
  if (!host) return [];
  const byFamily = listed.get(host) ?? new Map<string, ChainRef[]>();
  listed.set(host, byFamily);
  let chains = byFamily.get(step.packet.family);
  if (!chains) {
    const nft = nftTablesFor(scenario, step.host, step.packet.family);
    chains = [...(ruleset?.tables ?? []), ...nft].flatMap((t) =>
      t.chains.map((c) => ({ host: step.host, table: t.name, chain: c.name })),
    );
    byFamily.set(step.packet.family, chains);
  }
  return chains;
}

/**
 * The chain a table runs on a hook: iptables' built-in chain is named after the hook; an nft
 * table's is its base chain on that hook (the first, by priority, when it has several).
 */
function chainOnHook(
  scenario: Scenario,
  host: string,
  family: 'ipv4' | 'ipv6',
  table: string,
  hook: Hook,
): string {
  if (rulesetFor(scenario, host, family)?.tables.some((t) => t.name === table)) return hook;
  const bases = nftTablesFor(scenario, host, family)
    .filter((t) => t.name === table)
    .flatMap((t) => t.chains.filter((c) => c.base?.hook === hook))
    .sort((a, b) => (a.base?.priority ?? 0) - (b.base?.priority ?? 0));
  return bases[0]?.name ?? hook;
}

/** In a hook before its chains (entering it, conntrack): the first of its tables this host has. */
export function hookChain(scenario: Scenario, trace: Trace, cursor: number): ChainRef | undefined {
  const step = trace.steps[cursor];
  const hook = step && hookOf(step);
  if (!step || !hook) return undefined;
  for (let i = cursor; i >= 0; i--) {
    const s = trace.steps[i];
    if (!s || s.packetId !== step.packetId) break;
    if (s.kind !== 'hook') continue;
    const first = s.stages.find((t) => t.kind === 'table');
    if (first?.kind !== 'table') return undefined;
    const table = first.table.name;
    const chain = chainOnHook(scenario, step.host, step.packet.family, table, hook);
    return { host: step.host, table, chain };
  }
  return undefined;
}
