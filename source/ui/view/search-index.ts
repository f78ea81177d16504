import type { Rule, Scenario, Step, Trace } from '../../model/index.js';
import { ruleExtras } from '../../rules/listing.js';
import { ruleSpecText } from '../../rules/save.js';
import { explanation } from './explanation.js';
import { timelineLine } from './timeline-line.js';

/** Every rule of the scenario by id, on every host; kept per scenario (a search asks again). */
const byScenario = new WeakMap<Scenario, Map<string, Rule>>();
function rulesById(scenario: Scenario): Map<string, Rule> {
  const kept = byScenario.get(scenario);
  if (kept) return kept;
  const rules = new Map<string, Rule>();
  byScenario.set(scenario, rules);
  for (const h of scenario.world.hosts)
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains) for (const rule of c.rules) rules.set(rule.id, rule);
  return rules;
}

/** The chain a step is in, as `table CHAIN`, and the chains on its stack. */
function chainsOf(step: Step): string {
  const own = 'chain' in step && step.chain ? [`${step.table} ${step.chain}`] : [];
  return [...own, ...step.stack.map((f) => f.chain)].join(' ');
}

/** A span's rules searched by their text, up to this many: a longer one is found by its words. */
const SPAN_SEARCHED = 64;

/** The ids of the rules a step is at: its own, or those of a short span it passed. */
function ruleIdsOf(s: Step): readonly string[] {
  if (s.kind === 'rule' || s.kind === 'stop') return s.ruleId ? [s.ruleId] : [];
  if (s.kind === 'span' && s.passed.length <= SPAN_SEARCHED) return s.passed.map((p) => p.ruleId);
  return [];
}

/**
 * Per step, the text `/` searches, lower-cased: the timeline line, the step's explanation, its
 * chains, and the rule it evaluated both as `-S` writes it (what the user wrote in the rules
 * file) and as `-L` lists it.
 */
export function searchIndex(scenario: Scenario, trace: Trace): string[] {
  const rules = rulesById(scenario);
  return trace.steps.map((s) => {
    const ruleText = ruleIdsOf(s).flatMap((id) => {
      const rule = rules.get(id);
      return rule ? ruleTexts(rule) : [];
    });
    return [timelineLine(s), ...explanation(s), chainsOf(s), ...ruleText].join('\n').toLowerCase();
  });
}

/**
 * The row (rule index in its chain) of the first rule of a span whose text has `query`: the rule
 * a search found in the span, not the span's first rule. Undefined for any other step.
 */
export function spanRow(scenario: Scenario, trace: Trace, query: string, i: number) {
  const s = trace.steps[i];
  if (s?.kind !== 'span' || s.passed.length > SPAN_SEARCHED) return undefined;
  const rules = rulesById(scenario);
  const k = s.passed.findIndex((p) => {
    const rule = rules.get(p.ruleId);
    return rule !== undefined && ruleTexts(rule).some((t) => t.toLowerCase().includes(query));
  });
  return k < 0 ? undefined : s.ruleIndex + k;
}

/** A rule as the search reads it: as `-S` writes it and as `-L` lists it. */
const ruleTexts = (rule: Rule) => [
  ruleSpecText(rule),
  `${rule.target?.name ?? ''} ${ruleExtras(rule)}`,
];

/** The index, built when first asked for and kept. */
export function lazySearchIndex(scenario: Scenario, trace: Trace): () => readonly string[] {
  let index: string[] | undefined;
  return () => {
    index ??= searchIndex(scenario, trace);
    return index;
  };
}
