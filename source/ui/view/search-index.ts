import type { Rule, Scenario, Trace } from '../../model/index.js';
import { ruleExtras } from '../../rules/listing.js';
import { timelineLine } from './timeline-line.js';

/** Per step, the text `/` searches: the timeline line and the evaluated rule as -L shows it. */
export function searchIndex(scenario: Scenario, trace: Trace): string[] {
  const rules = new Map<string, Rule>();
  for (const h of scenario.world.hosts)
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains) for (const rule of c.rules) rules.set(rule.id, rule);
  return trace.steps.map((s) => {
    const ruleId = s.kind === 'rule' || s.kind === 'stop' ? s.ruleId : undefined;
    const rule = ruleId ? rules.get(ruleId) : undefined;
    const text = rule ? ` ${rule.target?.name ?? ''} ${ruleExtras(rule)}` : '';
    return `${timelineLine(s)}${text}`.toLowerCase();
  });
}
