/**
 * What changes between two runs of a scenario (the original and a what-if), as facts: each
 * connection's outcome before and after and the first step where its path differs, the
 * counters that moved differently, the findings that came or went. Connections are matched by
 * the traffic item they belong to and their place among what a proxy opened, not by id.
 */
import type { ConnectionInfo, Finding, Trace } from '../../model/index.js';
import { type CounterKey, deltasUpTo } from '../counters.js';
import type { RuleLookup } from '../rule-lookup.js';
import { type OutcomeFact, outcomeFact } from './outcome.js';
import { type PathStep, packetPath, packetsOf, sameFact } from './path.js';

export type { OutcomeFact, RuleFact } from './outcome.js';
export type { PathFact, PathStep } from './path.js';

/** Where two paths of one connection part: the packet, and each side's step (if it has one). */
export interface PathDifference {
  /** The packet's place in its connection, from 1, and its label (SYN, …). */
  readonly packet: number;
  readonly label: string;
  /** The what-if's packet at that place, when it is another (FIN where the original has DATA). */
  readonly labelAfter?: string;
  readonly before?: PathStep;
  readonly after?: PathStep;
}

export interface ConnectionChange {
  /** The connection's place in the runs: `traffic 1`, `traffic 1 > envoy 1` for one it opened. */
  readonly key: string;
  /** Its id in each run, where it exists. */
  readonly before?: number;
  readonly after?: number;
  readonly outcomeBefore: OutcomeFact;
  readonly outcomeAfter: OutcomeFact;
  /** The first difference of its packets' paths; absent when they are the same. */
  readonly firstDifference?: PathDifference;
}

export interface CounterChange {
  readonly host: string;
  readonly family: string;
  readonly table: string;
  readonly chain: string;
  /** A Rule.id, or `policy`. */
  readonly rule: string;
  /** What the simulation added: small counts, plain numbers (never the loaded 64-bit ones). */
  readonly before: Moved;
  readonly after: Moved;
}

type Moved = { readonly packets: number; readonly bytes: number };

/** A finding as a fact: no step numbers, no rounds (a loop is the same loop at any round). */
export type FindingFact =
  | {
      readonly kind: 'loop';
      readonly host: string;
      readonly process: string;
      readonly destination: string;
      readonly rules: readonly string[];
    }
  | { readonly kind: 'not-simulated'; readonly reason: string; readonly rules: readonly string[] }
  | { readonly kind: 'hypothesis'; readonly host: string; readonly process: string }
  | { readonly kind: 'forward-loop'; readonly hops: readonly string[] }
  | {
      readonly kind: 'rewritten-reply-lost';
      readonly host: string;
      readonly process: string;
      readonly label: string;
    };

export interface TraceDiff {
  readonly connections: readonly ConnectionChange[];
  readonly counters: readonly CounterChange[];
  readonly findings: {
    readonly added: readonly FindingFact[];
    readonly removed: readonly FindingFact[];
  };
}

/** Each connection by its key: its traffic item, then its place among its parent's children. */
export function connectionKeys(trace: Trace): Map<string, ConnectionInfo> {
  const keys = new Map<number, string>();
  const byKey = new Map<string, ConnectionInfo>();
  const seen = new Map<string, number>();
  for (const c of trace.connections) {
    const parent = c.parent === undefined ? undefined : keys.get(c.parent);
    const base = parent === undefined ? `traffic ${c.traffic + 1}` : `${parent} > ${c.fromProcess}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = parent === undefined && n === 1 ? base : `${base} ${n}`;
    keys.set(c.id, key);
    byKey.set(key, c);
  }
  return byKey;
}

function firstDifference(
  before: Trace,
  after: Trace,
  b: ConnectionInfo | undefined,
  a: ConnectionInfo | undefined,
): PathDifference | undefined {
  const pb = b ? packetsOf(before, b) : [];
  const pa = a ? packetsOf(after, a) : [];
  for (let i = 0; i < Math.max(pb.length, pa.length); i++) {
    const p = pb[i];
    const q = pa[i];
    const x = p ? packetPath(before, p) : [];
    const y = q ? packetPath(after, q) : [];
    for (let j = 0; j < Math.max(x.length, y.length); j++) {
      if (sameFact(x[j]?.fact, y[j]?.fact)) continue;
      const label = (p ?? q)?.label ?? '';
      const other = p && q && q.label !== p.label ? { labelAfter: q.label } : {};
      return { packet: i + 1, label, ...other, before: x[j], after: y[j] };
    }
  }
  return undefined;
}

function counterChanges(before: Trace, after: Trace): CounterChange[] {
  const b = deltasUpTo(before);
  const a = deltasUpTo(after);
  const zero: Moved = { packets: 0, bytes: 0 };
  const keys = [...new Set<CounterKey>([...b.keys(), ...a.keys()])];
  return keys.flatMap((key) => {
    const x = b.get(key) ?? zero;
    const y = a.get(key) ?? zero;
    if (x.packets === y.packets && x.bytes === y.bytes) return [];
    const [host = '', family = '', table = '', chain = '', rule = ''] = key.split('|');
    return [{ host, family, table, chain, rule, before: x, after: y }];
  });
}

function findingFact(f: Finding): FindingFact {
  if (f.kind === 'loop') {
    const { host, process, destination, rules } = f;
    return { kind: 'loop', host, process, destination, rules };
  }
  if (f.kind === 'hypothesis') return { kind: 'hypothesis', host: f.host, process: f.process };
  if (f.kind === 'forward-loop') return { kind: 'forward-loop', hops: f.hops };
  if (f.kind === 'rewritten-reply-lost') {
    const { host, process, label } = f;
    return { kind: 'rewritten-reply-lost', host, process, label };
  }
  return { kind: 'not-simulated', reason: f.reason.kind, rules: f.rules };
}

function findingChanges(before: Trace, after: Trace): TraceDiff['findings'] {
  const facts = (t: Trace) => t.findings.map(findingFact);
  const keyed = (list: FindingFact[]) => new Set(list.map((f) => JSON.stringify(f)));
  const b = facts(before);
  const a = facts(after);
  const inB = keyed(b);
  const inA = keyed(a);
  return {
    added: a.filter((f) => !inB.has(JSON.stringify(f))),
    removed: b.filter((f) => !inA.has(JSON.stringify(f))),
  };
}

/**
 * The comparison of two runs. `rules` name each run's rules (a rule's text is the run's own:
 * a replaced rule keeps its id, not its text).
 */
export function diffTraces(
  before: Trace,
  after: Trace,
  rules: { readonly before: RuleLookup; readonly after: RuleLookup },
): TraceDiff {
  const kb = connectionKeys(before);
  const ka = connectionKeys(after);
  const keys = [...kb.keys(), ...[...ka.keys()].filter((k) => !kb.has(k))];
  const connections = keys.map((key): ConnectionChange => {
    const b = kb.get(key);
    const a = ka.get(key);
    const none: OutcomeFact = { kind: 'none' };
    const difference = firstDifference(before, after, b, a);
    return {
      key,
      ...(b ? { before: b.id } : {}),
      ...(a ? { after: a.id } : {}),
      outcomeBefore: b ? outcomeFact(before, b.id, rules.before) : none,
      outcomeAfter: a ? outcomeFact(after, a.id, rules.after) : none,
      ...(difference ? { firstDifference: difference } : {}),
    };
  });
  return {
    connections,
    counters: counterChanges(before, after),
    findings: findingChanges(before, after),
  };
}

/** Whether the connection's outcome is the same in both runs. */
export function sameOutcome(c: ConnectionChange): boolean {
  return JSON.stringify(c.outcomeBefore) === JSON.stringify(c.outcomeAfter);
}
