import type { Ruleset, Scenario, TableName, Trace } from '../../model/index.js';
import { HOOK_ORDER } from '../../netfilter/vocabulary.js';
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

/** Every chain of the host the step is on, in iptables-save order, for browsing with { }. */
export function hostChains(scenario: Scenario, trace: Trace, cursor: number): ChainRef[] {
  const step = trace.steps[cursor];
  if (!step) return [];
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  return (ruleset?.tables ?? []).flatMap((t) =>
    t.chains.map((c) => ({ host: step.host, table: t.name, chain: c.name })),
  );
}

/** In a hook before its chains (entering it, conntrack): the first of its tables this host has. */
export function hookChain(scenario: Scenario, trace: Trace, cursor: number): ChainRef | undefined {
  const step = trace.steps[cursor];
  if (!step?.hook) return undefined;
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  const hook = step.hook;
  const table = HOOK_ORDER[hook].find((t) =>
    ruleset?.tables.some((x) => x.name === t && x.chains.some((c) => c.name === hook)),
  );
  return table ? { host: step.host, table: table as TableName, chain: hook } : undefined;
}
