/**
 * A connection's outcome as facts to compare: delivered to which process and port; dropped,
 * rejected, refused or lost, and by which rule; looped, with the rules on the cycle; stopped.
 * Rules are named by table, chain and text (their numbers shift when a rule before them goes).
 */
import type { Finding, Trace } from '../../model/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { connectionOutcome } from '../summary.js';
import type { RuleRef } from '../words/rule.js';

/** A rule as a comparable fact: `ISTIO_OUTPUT` and its text (a policy is its own words). */
export interface RuleFact {
  readonly table?: string;
  readonly chain?: string;
  readonly text: string;
}

export type OutcomeFact =
  | {
      readonly kind: 'delivered';
      readonly host: string;
      readonly process: string;
      readonly uid: number;
      readonly address: string;
      readonly port: number;
    }
  | {
      readonly kind: 'dropped' | 'rejected' | 'refused' | 'lost';
      readonly host: string;
      readonly packet: string;
      readonly reason: string;
      readonly rule?: RuleFact;
    }
  | {
      readonly kind: 'looped';
      readonly host: string;
      readonly process: string;
      readonly destination: string;
      readonly rules: readonly RuleFact[];
    }
  | {
      readonly kind: 'stopped';
      readonly host: string;
      readonly reason: string;
      readonly rule?: RuleFact;
    }
  /** The client's connection was reset by a RST from `from` (on `host`, the client's). */
  | {
      readonly kind: 'reset';
      readonly host: string;
      readonly process: string;
      readonly from: string;
    }
  | { readonly kind: 'none' };

function ruleFact(r: RuleRef | string | undefined): RuleFact | undefined {
  if (r === undefined) return undefined;
  return typeof r === 'string' ? { text: r } : { table: r.table, chain: r.chain, text: r.text };
}

function loopOf(trace: Trace, step: number): (Finding & { kind: 'loop' }) | undefined {
  return trace.findings.find(
    (f): f is Finding & { kind: 'loop' } => f.kind === 'loop' && f.steps.includes(step),
  );
}

export function outcomeFact(trace: Trace, connectionId: number, rules: RuleLookup): OutcomeFact {
  const o = connectionOutcome(trace, connectionId, rules);
  if (!o) return { kind: 'none' };
  if (o.kind === 'delivered') {
    const host = trace.steps[o.step]?.host ?? '';
    const { process, uid, address, port } = o;
    return { kind: 'delivered', host, process, uid, address, port };
  }
  const s = o.step;
  if (o.kind === 'reset') return { kind: 'reset', host: s.host, process: o.process, from: o.from };
  if (o.kind === 'ended') {
    const fate = s.kind === 'fate' ? s.fate : 'lost';
    const reason = s.kind === 'fate' ? s.reason.kind : s.kind;
    const rule = ruleFact(o.rule);
    return { kind: fate, host: s.host, packet: o.label, reason, ...(rule ? { rule } : {}) };
  }
  if (s.kind === 'stop' && s.reason.kind === 'loop') {
    const loop = loopOf(trace, s.index);
    const cycle = (loop?.rules ?? []).map((id) => ruleFact(rules(s.host, id) ?? `rule ${id}`));
    return {
      kind: 'looped',
      host: s.host,
      process: s.reason.process,
      destination: s.reason.destination,
      rules: cycle.filter((r): r is RuleFact => r !== undefined),
    };
  }
  const rule = ruleFact(o.rule);
  const reason = s.kind === 'stop' ? s.reason.kind : s.kind;
  return { kind: 'stopped', host: s.host, reason, ...(rule ? { rule } : {}) };
}
