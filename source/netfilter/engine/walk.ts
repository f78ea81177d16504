/**
 * The rule scan of one table at one hook: ipt_do_table(). Rules in order; a rule matches when its
 * IP header part and every `-m` module match; its counters move; its target decides. Jumps push a
 * frame, goto replaces the top one, RETURN or the end of a user chain pops, the end of a built-in
 * chain applies its policy.
 *
 * Hand-written (no generic visitor, no spreads) because it is the hot path: a kube-proxy packet
 * runs 10,000 rules here and every one of them becomes a trace Step, which the trace keeps. So a
 * rule that misses costs its Step and its miss reason, nothing else: one match context per walk,
 * updated in place; no outcome object for a header miss; jump targets resolved at compile time;
 * and call stacks shared, not built per step. A step's stack depends only on the path to the rule
 * (the rule and the frames above it), never on the packet, so each is made once, frozen, and kept
 * on the compiled rule (CompiledRule.stackCache): every step at that rule on that path, in every
 * trace, shows the same array. The outer frames are themselves such shared arrays, so "the same
 * path" is one identity test.
 */

import type {
  Assumption,
  ConntrackView,
  EngineSettings,
  Frame,
  Gap,
  Hook,
  MatchMiss,
  Packet,
  RuleVerdict,
  StopReason,
  TargetEffect,
} from '../../model/index.js';
import type { MatchContext, TargetContext } from '../vocabulary.js';
import { addressesOf, headerMiss } from './basic-match.js';
import { NO_CHANGES, packetChanges } from './changes.js';
import type { CompiledChain, CompiledRule, CompiledTable } from './compile.js';
import type { TraceRecorder } from './recorder.js';

export type WalkVerdict = 'ACCEPT' | 'DROP' | 'QUEUE' | 'STOLEN' | 'STOP';

/** A target's effect and the rules that led to it: the rule, and the jump into its chain. */
export interface AppliedEffect {
  readonly effect: TargetEffect;
  readonly rules: readonly string[];
}

export interface WalkResult {
  readonly verdict: WalkVerdict;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  /** Target effects the stack applies after the table: zone, notrack, NAT, TPROXY, REJECT. */
  readonly effects: readonly AppliedEffect[];
  /** Set when the walk stopped: why, the rule, and the stop step. */
  readonly stop?: { readonly reason: StopReason; readonly rule: string; readonly step: number };
}

export interface WalkInput {
  readonly table: CompiledTable;
  readonly hook: Hook;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  readonly context: Omit<TargetContext, 'ruleId' | 'conntrack' | 'hook' | 'table'>;
  readonly settings: EngineSettings;
  readonly rec: TraceRecorder;
}

/** A jump cycle cannot hang the engine: the kernel refuses one at load, an edit may not. */
const MAX_DEPTH = 64;
const MAX_EVALUATIONS = 2_000_000;

type MatchOutcome =
  | { readonly miss?: undefined; readonly stop?: undefined; readonly assumption?: Assumption }
  | { readonly miss: MatchMiss; readonly stop?: undefined; readonly assumption?: Assumption }
  | { readonly stop: Gap; readonly miss?: undefined };

/** The outcome of a rule whose matches all hit without an assumption: shared, never changed. */
const MATCHED: MatchOutcome = { assumption: undefined };

function unknownOutcome(gap: Gap, settings: EngineSettings): MatchOutcome {
  if (settings.unknownMatch === 'stop') return { stop: gap };
  const assumption: Assumption = { gap, takenAs: settings.unknownMatch };
  return settings.unknownMatch === 'match'
    ? { assumption }
    : { miss: { module: gap.module, why: gap.why }, assumption };
}

/** The `-m` modules of a rule whose IP header part already matched. */
function matchModules(
  rule: CompiledRule,
  packet: Packet,
  ctx: MatchContext,
  s: EngineSettings,
): MatchOutcome {
  let assumption: Assumption | undefined;
  for (const m of rule.matches) {
    if (!m.module) {
      const out = unknownOutcome({ type: 'match', module: m.name }, s);
      if (out.stop !== undefined || out.miss !== undefined) return out;
      assumption = out.assumption;
      continue;
    }
    const r = m.module.match(m.data, packet, ctx);
    if (r.kind === 'no-match') return { miss: { module: m.name, why: r.why } };
    if (r.kind === 'unknown') {
      const out = unknownOutcome({ type: 'match', module: m.name, why: r.why }, s);
      if (out.stop !== undefined || out.miss !== undefined) return out;
      assumption = out.assumption;
    } else if (r.kind === 'assumed') {
      assumption = { gap: { type: 'match', module: m.name, why: r.note } };
      if (!r.matched) return { miss: { module: m.name, why: r.note }, assumption };
    }
  }
  return assumption === undefined ? MATCHED : { assumption };
}

function withConntrack(ct: ConntrackView | undefined, mark: number | undefined) {
  return ct && mark !== undefined ? { ...ct, mark } : ct;
}

/** One chain on the walk's call stack. */
interface WalkFrame {
  readonly chain: CompiledChain;
  next: number;
  /** The trace frames of the chains below this one, outermost first: a shared, frozen array. */
  readonly outer: readonly Frame[];
}

/** The outer frames of a built-in chain: none. */
const NO_FRAMES: readonly Frame[] = Object.freeze([]);

/** The trace's stack at `compiled` under `outer`: the shared array, made on first use. */
function ruleStack(
  compiled: CompiledRule,
  outer: readonly Frame[],
  table: string,
  chain: string,
): readonly Frame[] {
  const cached = compiled.stackCache;
  if (cached !== undefined && cached.outer === outer) return cached.stack;
  const top: Frame = Object.freeze({ table, chain, ruleIndex: compiled.index });
  const stack = Object.freeze([...outer, top]);
  compiled.stackCache = { outer, stack };
  return stack;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The rule that jumped into the chain of the top frame, if any: the frame below's rule. */
function callerRule(frames: readonly WalkFrame[]): string | undefined {
  const below = frames[frames.length - 2];
  return below?.chain.rules[below.next - 1]?.rule.id;
}

export function walkTable(input: WalkInput): WalkResult {
  const { table, hook, settings, rec } = input;
  const tableRef = table.ref;
  const family = table.ref.family === 'ipv6' ? 'ipv6' : 'ipv4';
  const tableName = tableRef.name;
  const start = table.entry[hook];
  if (!start)
    return { verdict: 'ACCEPT', packet: input.packet, effects: [], conntrack: input.conntrack };
  let packet = input.packet;
  let addresses = addressesOf(packet);
  let conntrack = input.conntrack;
  const effects: AppliedEffect[] = [];
  const frames: WalkFrame[] = [{ chain: start, next: 0, outer: NO_FRAMES }];
  /** The call stack between rules (policy, return, stop): the top frame at its next rule. */
  const stackHere = (): Frame[] => {
    const top = frames[frames.length - 1];
    if (!top) return [];
    return [...top.outer, { table: tableName, chain: top.chain.chain.name, ruleIndex: top.next }];
  };
  let evaluations = 0;
  let ruleId = '';
  // statistic --mode nth keeps one counter per rule: key it by the rule being evaluated.
  const nextNth = (id: string, every: number, start: number) =>
    input.context.nextNth(id || ruleId, every, start);
  // One context for the whole walk, its ruleId and conntrack set before each rule: modules
  // only read it during their call.
  const ctx: Mutable<TargetContext> = {
    ...input.context,
    nextNth,
    hook,
    table: tableName,
    conntrack,
    ruleId: '',
  };
  const scene = () => ({ packet, conntrack, stack: stackHere() });
  for (;;) {
    const top = frames[frames.length - 1];
    if (!top) break;
    const chainName = top.chain.chain.name;
    if (top.next >= top.chain.rules.length) {
      if (frames.length === 1) {
        // The stack is empty (a goto from the built-in chain pushes nothing): ipt_do_table goes
        // to the hook's underflow, the built-in chain's policy, whichever chain ran out.
        const policy = start.chain.policy ?? 'ACCEPT';
        const base = start.chain.name;
        const stack = [{ table: tableName, chain: base, ruleIndex: start.rules.length }];
        rec.add(
          { kind: 'policy', hook, table: tableRef, chain: base, policy },
          {
            packet,
            conntrack,
            stack,
            // An iptables-nft chain made by a rule has no counter: its policy counts nothing.
            counter: start.chain.uncounted
              ? undefined
              : { family, table: tableName, chain: base, rule: 'policy' },
          },
        );
        return { verdict: policy, packet, conntrack, effects };
      }
      frames.pop();
      const to = frames[frames.length - 1]?.chain.chain.name ?? '';
      rec.add({ kind: 'return', hook, table: tableRef, chain: chainName, to }, scene());
      continue;
    }
    const compiled = top.chain.rules[top.next] as CompiledRule;
    top.next++;
    if (++evaluations > MAX_EVALUATIONS)
      return stop({ kind: 'too-many-rules', limit: MAX_EVALUATIONS }, compiled);
    const rule = compiled.rule;
    ruleId = rule.id;
    // The IP header part first, without an outcome object: most rules of a long chain miss
    // here, and join the span of rules passed over with a reference to the rule's own miss.
    const headerPassed = headerMiss(compiled, packet, addresses);
    if (headerPassed !== undefined) {
      // The open span usually grows by the rule; only a rule that begins a span needs its stack.
      if (!rec.extendSpan(tableRef, chainName, compiled.index, headerPassed, packet))
        rec.passRule(
          hook,
          tableRef,
          chainName,
          compiled.index,
          headerPassed,
          ruleStack(compiled, top.outer, tableName, chainName),
          packet,
          conntrack,
        );
      continue;
    }
    ctx.ruleId = ruleId;
    ctx.conntrack = conntrack;
    const outcome =
      rule.matches.length === 0 ? MATCHED : matchModules(compiled, packet, ctx, settings);
    if (outcome.stop !== undefined)
      return stop({ kind: 'not-simulated', gap: outcome.stop }, compiled);
    const stack = ruleStack(compiled, top.outer, tableName, chainName);
    // The rule's step: a miss (no verdict) or what it did, with the packet it left.
    const record = (verdict: RuleVerdict | undefined, after: Packet) =>
      rec.addRule(
        hook,
        tableRef,
        family,
        chainName,
        ruleId,
        compiled.index,
        outcome.miss,
        verdict,
        outcome.assumption,
        stack,
        after,
        after === packet ? NO_CHANGES : packetChanges(packet, after),
        conntrack,
      );
    if (outcome.miss !== undefined) {
      // A miss the user must weigh (an assumption) is a step of its own; others are passed.
      if (outcome.assumption !== undefined) record(undefined, packet);
      else
        rec.passRule(
          hook,
          tableRef,
          chainName,
          compiled.index,
          { ruleId, module: outcome.miss.module, why: outcome.miss.why },
          stack,
          packet,
          conntrack,
        );
      continue;
    }
    const target = rule.target;
    const verdict = compiled.verdict;
    if (!target || verdict?.kind === 'continue') {
      if (verdict) record(verdict, packet);
      continue;
    }
    if (target.kind === 'jump' || target.kind === 'goto') {
      const next = compiled.jump;
      if (!next) return stop({ kind: 'missing-chain', chain: target.name }, compiled);
      if (verdict) record(verdict, packet);
      // Below a jump, the outer frames are this rule's own stack; goto replaces the top frame,
      // so the new chain sits under the same outer frames as the chain it leaves.
      const outer = target.kind === 'goto' ? top.outer : stack;
      if (target.kind === 'goto') frames.pop();
      if (frames.length >= MAX_DEPTH) return stop({ kind: 'too-deep', limit: MAX_DEPTH }, compiled);
      frames.push({ chain: next, next: 0, outer });
      continue;
    }
    if (target.kind === 'verdict' && verdict) {
      record(verdict, packet);
      if (target.name === 'RETURN') {
        if (frames.length === 1) top.next = top.chain.rules.length;
        else frames.pop();
        continue;
      }
      return { verdict: target.name as WalkVerdict, packet, conntrack, effects };
    }
    const module = compiled.targetModule;
    if (!module) {
      const gap: Gap = { type: 'target', module: target.name };
      if (settings.unknownMatch === 'stop') return stop({ kind: 'not-simulated', gap }, compiled);
      record(verdict ?? { kind: 'target', name: target.name, simulated: false }, packet);
      continue;
    }
    ctx.ruleId = ruleId;
    ctx.conntrack = conntrack;
    const effect = module.act(target.data, packet, ctx);
    const after = effect.packet ?? packet;
    const { packet: _made, ...outcomeOfTarget } = effect;
    record({ kind: 'target', name: target.name, simulated: true, effect: outcomeOfTarget }, after);
    if (after.src !== packet.src || after.dst !== packet.dst) addresses = addressesOf(after);
    packet = after;
    conntrack = withConntrack(conntrack, effect.conntrack?.mark);
    const caller = callerRule(frames);
    effects.push({ effect, rules: caller === undefined ? [ruleId] : [caller, ruleId] });
    if (effect.verdict === 'CONTINUE') continue;
    if (effect.verdict === 'RETURN') {
      if (frames.length === 1) top.next = top.chain.rules.length;
      else frames.pop();
      continue;
    }
    return { verdict: effect.verdict, packet, conntrack, effects };
  }
  return { verdict: 'ACCEPT', packet, conntrack, effects };

  function stop(reason: StopReason, at: CompiledRule): WalkResult {
    const step = rec.add(
      {
        kind: 'stop',
        reason,
        hook,
        table: tableRef,
        chain: frames[frames.length - 1]?.chain.chain.name ?? hook,
        ruleId: at.rule.id,
      },
      scene(),
    );
    return {
      verdict: 'STOP',
      packet,
      conntrack,
      effects,
      stop: { reason, rule: at.rule.id, step },
    };
  }
}
