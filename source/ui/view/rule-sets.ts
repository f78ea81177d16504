/**
 * The ipsets the rule at the cursor reads, with the members the host gives them: what a
 * `-m set` rule decided by, next to the packet it decided on.
 */
import type { Rule, Scenario, Step } from '../../model/index.js';
import { chainNamed } from '../../model/index.js';
import { findMatch } from '../../netfilter/registry.js';
import { rulesetFor } from './host-chains.js';

/** Members shown per set; a longer set says how many more it has. */
const SHOWN = 4;

function ruleAt(scenario: Scenario, step: Step): Rule | undefined {
  if (step.kind !== 'rule' && step.kind !== 'stop') return undefined;
  const { ruleId, table, chain } = step;
  if (!ruleId || !table || !chain) return undefined;
  const tableOf = rulesetFor(scenario, step.host, step.packet.family)?.tables.find(
    (t) => t.name === table.name,
  );
  const rules = tableOf && chainNamed(tableOf.chains, chain)?.rules;
  return step.kind === 'rule' && rules?.[step.ruleIndex]?.id === ruleId
    ? rules[step.ruleIndex]
    : rules?.find((r) => r.id === ruleId);
}

/** One line per set the rule reads: `ipset NAME hash:ip: 10.0.0.5, 10.0.0.6 (+3 more)`. */
export function ruleSetLines(scenario: Scenario, step: Step | undefined): string[] {
  const rule = step && ruleAt(scenario, step);
  if (!step || !rule) return [];
  const names = rule.matches.flatMap((m) =>
    m.simulated ? (findMatch(m.module)?.sets?.(m.data) ?? []) : [],
  );
  const host = scenario.world.hosts.find((h) => h.name === step.host);
  return names.map((name) => {
    const set = host?.ipsets?.find((s) => s.name === name);
    if (!set) return `ipset ${name}: not in the scenario`;
    const shown = set.members.slice(0, SHOWN).join(', ') || 'no members';
    const more = set.members.length > SHOWN ? ` (+${set.members.length - SHOWN} more)` : '';
    return `ipset ${name} ${set.type}: ${shown}${more}`;
  });
}
