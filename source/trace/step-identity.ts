/**
 * A step's identity across two runs of a scenario, from its facts: the connection (by its place
 * in the traffic, as the trace diff keys it), the packet's place in it, the host and hook and
 * which entry of that hook it is, and what the step did there (the rule by id, the policy). Step
 * numbers are not identities: one rule less and every later step has another number.
 */
import type { Step, Trace } from '../model/index.js';
import { connectionKeys } from './diff/index.js';
import { packetSteps } from './summary.js';
import { hookOf } from './words/index.js';

export interface StepIdentity {
  readonly connection: string;
  /** The packet's place in its connection, from 0. */
  readonly packet: number;
  readonly host: string;
  readonly hook?: string;
  /** Which entry of this host's hook by this packet, from 0 (a packet can pass a hook twice). */
  readonly visit: number;
  /** What the step is, without its number: `rule nat ISTIO_OUTPUT 12`. */
  readonly what: string;
  /** The chain it is in (`nat ISTIO_OUTPUT`), and its place among this visit's steps there. */
  readonly chain?: string;
  readonly inChain?: number;
}

/** How closely the step found matches the one looked for, closest first. */
export type Closeness =
  | 'same step'
  | 'same chain'
  | 'same hook'
  | 'same packet'
  | 'same connection'
  | 'nearest';

function chainOf(s: Step): string | undefined {
  return s.kind === 'rule' || s.kind === 'span' || s.kind === 'policy' || s.kind === 'return'
    ? `${s.table.name} ${s.chain}`
    : undefined;
}

function whatOf(s: Step): string {
  if (s.kind === 'rule') return `rule ${s.table.name} ${s.chain} ${s.ruleId}`;
  if (s.kind === 'span') return `span ${s.table.name} ${s.chain} ${s.passed[0]?.ruleId ?? ''}`;
  if (s.kind === 'policy' || s.kind === 'return') return `${s.kind} ${s.table.name} ${s.chain}`;
  if (s.kind === 'socket') return `socket ${s.process}`;
  return s.kind;
}

const keyOfConnection = (trace: Trace, id: number) =>
  [...connectionKeys(trace)].find(([, c]) => c.id === id)?.[0];

/** The identities of a packet's steps, in order. */
function packetIdentities(connection: string, place: number, steps: Step[]) {
  const visits = new Map<string, number>();
  const inChains = new Map<string, number>();
  return steps.map((s): StepIdentity & { index: number } => {
    const hook = hookOf(s);
    const at = `${s.host} ${hook}`;
    if (s.kind === 'hook') visits.set(at, (visits.get(at) ?? -1) + 1);
    const visit = Math.max(0, visits.get(at) ?? 0);
    const chain = chainOf(s);
    const inChain = `${at} ${visit} ${chain}`;
    if (chain) inChains.set(inChain, (inChains.get(inChain) ?? -1) + 1);
    return {
      index: s.index,
      connection,
      packet: place,
      host: s.host,
      ...(hook ? { hook } : {}),
      visit,
      what: whatOf(s),
      ...(chain ? { chain, inChain: inChains.get(inChain) ?? 0 } : {}),
    };
  });
}

function packetsOfKey(trace: Trace, key: string) {
  const c = connectionKeys(trace).get(key);
  return c ? trace.packets.filter((p) => p.connectionId === c.id) : [];
}

export function identityOf(trace: Trace, index: number): StepIdentity | undefined {
  const step = trace.steps[index];
  if (!step) return undefined;
  const key = keyOfConnection(trace, step.connectionId);
  if (key === undefined) return undefined;
  const packets = packetsOfKey(trace, key);
  const place = packets.findIndex((p) => p.id === step.packetId);
  const packet = packets[place];
  if (!packet) return undefined;
  const found = packetIdentities(key, place, packetSteps(trace, packet)).find(
    (s) => s.index === index,
  );
  if (!found) return undefined;
  const { index: _number, ...identity } = found;
  return identity;
}

/**
 * Where the step `id` is in `trace`: the same step, else the entry of the same hook, the same
 * packet's first step, the connection's first, else `fallback` (within the trace).
 */
export function locate(
  trace: Trace,
  id: StepIdentity | undefined,
  fallback: number,
): { readonly index: number; readonly closeness: Closeness } {
  const last = Math.max(0, trace.steps.length - 1);
  const nearest = { index: Math.min(Math.max(0, fallback), last), closeness: 'nearest' as const };
  if (!id) return nearest;
  const packets = packetsOfKey(trace, id.connection);
  const packet = packets[id.packet];
  if (!packet)
    return packets[0] ? { index: packets[0].firstStep, closeness: 'same connection' } : nearest;
  const steps = packetIdentities(id.connection, id.packet, packetSteps(trace, packet));
  const atHook = steps.filter(
    (s) => s.host === id.host && s.hook === id.hook && s.visit === id.visit,
  );
  const same = atHook.find((s) => s.what === id.what);
  if (same) return { index: same.index, closeness: 'same step' };
  // A rule gone from a chain: the step at its place in that chain (the rule after it, or the
  // chain's end), so the chain edited stays in view.
  const inChain = atHook.filter((s) => id.chain && s.chain === id.chain);
  const there = inChain[Math.min(id.inChain ?? 0, inChain.length - 1)];
  if (there) return { index: there.index, closeness: 'same chain' };
  if (atHook[0] && id.hook) return { index: atHook[0].index, closeness: 'same hook' };
  return { index: packet.firstStep, closeness: 'same packet' };
}
