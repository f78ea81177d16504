/**
 * A packet's path as facts to compare: the hooks it entered and the decisions taken there
 * (rules that matched, with their verdict; policies; where it ended). Rules that did not match
 * are left out: deleting a rule a packet never matched does not change where it went.
 */
import type { ConnectionInfo, PacketInfo, Step, Trace } from '../../model/index.js';
import { packetSteps } from '../summary.js';

/** One step of a path, comparable with JSON equality: no step index, no sentence. */
export type PathFact =
  | { readonly kind: 'hook'; readonly host: string; readonly hook: string }
  | {
      readonly kind: 'rule';
      readonly host: string;
      readonly hook: string;
      readonly table: string;
      readonly chain: string;
      readonly rule: string;
      readonly verdict: string;
    }
  | {
      readonly kind: 'policy';
      readonly host: string;
      readonly hook: string;
      readonly table: string;
      readonly chain: string;
      readonly policy: string;
    }
  | {
      readonly kind: 'socket';
      readonly host: string;
      readonly process: string;
      /** The listener's port; absent for a connected socket. */
      readonly port?: number;
    }
  | { readonly kind: 'fate'; readonly host: string; readonly fate: string; readonly reason: string }
  | { readonly kind: 'stop'; readonly host: string; readonly reason: string };

/** A fact with the step it comes from, in its own trace. */
export interface PathStep {
  readonly step: number;
  readonly fact: PathFact;
}

/** The verdict as a short fact: `accept`, `jump ISTIO_REDIRECT`, `REDIRECT`. */
function verdictFact(s: Step & { kind: 'rule' }): string {
  const v = s.verdict;
  if (!v) return 'none';
  if (v.kind === 'jump' || v.kind === 'goto') return `${v.kind} ${v.chain}`;
  if (v.kind === 'target') return v.name;
  return v.kind;
}

function factOf(s: Step): PathFact | undefined {
  switch (s.kind) {
    case 'hook':
      return { kind: 'hook', host: s.host, hook: s.hook };
    case 'rule': {
      if (!s.matched) return undefined;
      const at = { host: s.host, hook: s.hook, table: s.table.name, chain: s.chain };
      return { kind: 'rule', ...at, rule: s.ruleId, verdict: verdictFact(s) };
    }
    case 'policy':
      return {
        kind: 'policy',
        host: s.host,
        hook: s.hook,
        table: s.table.name,
        chain: s.chain,
        policy: s.policy,
      };
    case 'socket':
      // A connected socket's port is the ephemeral one the run happened to pick: not a fact
      // about the path (a run with one connection fewer picks other ports).
      return {
        kind: 'socket',
        host: s.host,
        process: s.process,
        ...(s.listening ? { port: s.local.port } : {}),
      };
    case 'fate':
      return { kind: 'fate', host: s.host, fate: s.fate, reason: s.reason.kind };
    case 'stop':
      return { kind: 'stop', host: s.host, reason: s.reason.kind };
    default:
      return undefined;
  }
}

export function packetPath(trace: Trace, p: PacketInfo): PathStep[] {
  return packetSteps(trace, p).flatMap((s) => {
    const fact = factOf(s);
    return fact ? [{ step: s.index, fact }] : [];
  });
}

/** A connection's packets in the order they were sent. */
export function packetsOf(trace: Trace, c: ConnectionInfo): PacketInfo[] {
  return trace.packets.filter((p) => p.connectionId === c.id);
}

export function sameFact(a: PathFact | undefined, b: PathFact | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
