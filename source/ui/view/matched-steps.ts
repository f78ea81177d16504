/**
 * The rule steps that matched, per packet, indexed once per trace: the chain pane marks the rules
 * the packet matched so far, and scanning every step of the packet on each frame made a keypress
 * in a 9,000-step kube-proxy packet cost as much as the packet is long.
 */
import type { Step, Trace } from '../../model/index.js';

type RuleStep = Extract<Step, { kind: 'rule' }>;

const indexes = new WeakMap<Trace, Map<number, RuleStep[]>>();

function matchedByPacket(trace: Trace): Map<number, RuleStep[]> {
  let index = indexes.get(trace);
  if (!index) {
    index = new Map();
    for (const s of trace.steps) {
      if (s.kind !== 'rule' || !s.matched) continue;
      const list = index.get(s.packetId) ?? [];
      list.push(s);
      index.set(s.packetId, list);
    }
    indexes.set(trace, index);
  }
  return index;
}

/** Ids of the rules on `host` that the packet of the step at `cursor` matched up to it. */
export function matchedSoFar(trace: Trace, cursor: number, host: string): Set<string> {
  const step = trace.steps[cursor];
  const ids = new Set<string>();
  if (!step) return ids;
  for (const s of matchedByPacket(trace).get(step.packetId) ?? []) {
    if (s.index > cursor) break;
    if (s.host === host && s.ruleId) ids.add(s.ruleId);
  }
  return ids;
}
