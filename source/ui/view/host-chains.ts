import type { Ruleset, Scenario, Trace } from '../../model/index.js';
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

/** Per ruleset and host: listed once, not on every frame of browsing 60,000 chains. */
const listed = new WeakMap<Ruleset, Map<string, ChainRef[]>>();

/** Every chain of the host the step is on, in iptables-save order, for browsing with { }. */
export function hostChains(scenario: Scenario, trace: Trace, cursor: number): ChainRef[] {
  const step = trace.steps[cursor];
  if (!step) return [];
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  if (!ruleset) return [];
  const byHost = listed.get(ruleset) ?? new Map<string, ChainRef[]>();
  listed.set(ruleset, byHost);
  let chains = byHost.get(step.host);
  if (!chains) {
    chains = ruleset.tables.flatMap((t) =>
      t.chains.map((c) => ({ host: step.host, table: t.name, chain: c.name })),
    );
    byHost.set(step.host, chains);
  }
  return chains;
}

/** In a hook before its chains (entering it, conntrack): the first of its tables this host has. */
export function hookChain(trace: Trace, cursor: number): ChainRef | undefined {
  const step = trace.steps[cursor];
  const hook = step && hookOf(step);
  if (!step || !hook) return undefined;
  for (let i = cursor; i >= 0; i--) {
    const s = trace.steps[i];
    if (!s || s.packetId !== step.packetId) break;
    if (s.kind !== 'hook') continue;
    const first = s.stages.find((t) => t.kind === 'table');
    return first?.kind === 'table'
      ? { host: step.host, table: first.table.name, chain: hook }
      : undefined;
  }
  return undefined;
}
