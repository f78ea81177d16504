/**
 * The rule scan of one table at one hook: ipt_do_table(). Rules in order; a rule matches when its
 * IP header part and every `-m` module match; its counters move; its target decides. Jumps push a
 * frame, goto replaces the top one, RETURN or the end of a user chain pops, the end of a built-in
 * chain applies its policy.
 *
 * Hand-written (no generic visitor, no spreads) because it is the hot path: a kube-proxy packet
 * runs 10,000 rules here and every one of them becomes a trace Step, which the trace keeps. So a
 * rule that misses costs its Step (recordMiss, no event object) and two strings (the miss reason and the explanation, each one
 * concatenation of a per-rule head and the packet's value), nothing else: one match context per
 * walk, updated in place; no outcome object for a header miss; and call stacks shared, not built
 * per step. A step's stack depends only on the path to the rule (the rule and the frames above
 * it), never on the packet, so each is made once, frozen, and kept on the compiled rule (see
 * CompiledRule.stackCache): every step at that rule on that path, in every trace, shows the same
 * array. The outer frames are themselves such shared arrays, so "the same path" is one identity
 * test.
 */

import type {
  Chain,
  ConntrackView,
  EngineSettings,
  Frame,
  Hook,
  Packet,
  Rule,
  TableName,
} from '../../model/index.js';
import type { MatchContext, TargetContext, TargetEffect } from '../vocabulary.js';
import { basicMiss } from './basic-match.js';
import { changesText } from './changes.js';
import type { CompiledRule, CompiledTable } from './compile.js';

/** What the walk reports, step by step; the stack turns these into trace Steps. */
export interface WalkEvent {
  readonly kind: 'rule' | 'policy' | 'return' | 'stop';
  readonly table: TableName;
  readonly chain: string;
  readonly rule?: Rule;
  readonly ruleIndex?: number;
  readonly matched?: boolean;
  readonly failedMatch?: string;
  readonly verdict?: string;
  readonly stack: readonly Frame[];
  readonly before: Packet;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  /** Counter to move: a rule id or the chain's policy. */
  readonly counter?: { readonly chain: string; readonly rule: string | 'policy' };
  readonly explain: string;
  readonly assumption?: string;
}

export type WalkVerdict = 'ACCEPT' | 'DROP' | 'QUEUE' | 'STOLEN' | 'STOP';

export interface WalkResult {
  readonly verdict: WalkVerdict;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  /** Target effects the stack applies after the table: zone, notrack, NAT, TPROXY, REJECT. */
  readonly effects: readonly TargetEffect[];
  readonly stopReason?: string;
  readonly stopRule?: string;
}

export interface WalkInput {
  readonly table: CompiledTable;
  readonly hook: Hook;
  readonly packet: Packet;
  readonly conntrack?: ConntrackView;
  readonly context: Omit<TargetContext, 'ruleId' | 'conntrack' | 'hook' | 'table'>;
  readonly settings: EngineSettings;
  readonly record: (event: WalkEvent) => void;
  /**
   * A rule that did not match (kind 'rule', matched false, the packet unchanged, no counter):
   * the same step record() would make, passed as arguments because it is most of a long chain's
   * steps and the event object would be garbage right away.
   */
  readonly recordMiss: MissRecorder;
}

export type MissRecorder = (
  table: TableName,
  chain: string,
  rule: Rule,
  ruleIndex: number,
  failedMatch: string,
  stack: readonly Frame[],
  packet: Packet,
  conntrack: ConntrackView | undefined,
  explain: string,
  assumption: string | undefined,
) => void;

/** A jump cycle cannot hang the engine: the kernel refuses one at load, an edit may not. */
const MAX_DEPTH = 64;
const MAX_EVALUATIONS = 2_000_000;

type MatchOutcome =
  | { readonly miss?: undefined; readonly stop?: undefined; readonly assumption?: string }
  | { readonly miss: string; readonly stop?: undefined; readonly assumption?: string }
  | { readonly stop: string; readonly miss?: undefined };

/** The outcome of a rule whose matches all hit without an assumption: shared, never changed. */
const MATCHED: MatchOutcome = { assumption: undefined };

function unknownOutcome(why: string, settings: EngineSettings): MatchOutcome {
  if (settings.unknownMatch === 'stop') return { stop: why };
  const assumption = `${why}; taken as ${settings.unknownMatch} (setting)`;
  return settings.unknownMatch === 'match' ? { assumption } : { miss: why, assumption };
}

/** The `-m` modules of a rule whose IP header part already matched. */
function matchModules(
  rule: CompiledRule,
  packet: Packet,
  ctx: MatchContext,
  s: EngineSettings,
): MatchOutcome {
  let assumption: string | undefined;
  for (const m of rule.matches) {
    if (!m.module) {
      const out = unknownOutcome(`-m ${m.name} is not simulated`, s);
      if (out.stop !== undefined || out.miss !== undefined) return out;
      assumption = out.assumption;
      continue;
    }
    const r = m.module.match(m.data, packet, ctx);
    if (r.kind === 'no-match') return { miss: `-m ${m.name}: ${r.why}` };
    if (r.kind === 'unknown') {
      const out = unknownOutcome(`-m ${m.name}: ${r.why}`, s);
      if (out.stop !== undefined || out.miss !== undefined) return out;
      assumption = out.assumption;
    } else if (r.kind === 'assumed') {
      assumption = `-m ${m.name}: ${r.note}`;
      if (!r.matched) return { miss: `-m ${m.name}: ${r.note}`, assumption };
    }
  }
  return assumption === undefined ? MATCHED : { assumption };
}

function targetLabel(rule: Rule): string {
  const t = rule.target;
  if (!t) return 'no target (counts only)';
  if (t.kind === 'jump') return `jump ${t.name}`;
  if (t.kind === 'goto') return `goto ${t.name}`;
  return t.name;
}

function withConntrack(ct: ConntrackView | undefined, mark: number | undefined) {
  return ct && mark !== undefined ? { ...ct, mark } : ct;
}

/** One chain on the walk's call stack. */
interface WalkFrame {
  readonly chain: Chain;
  readonly rules: readonly CompiledRule[];
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
  table: TableName,
  chain: string,
): readonly Frame[] {
  const cached = compiled.stackCache;
  if (cached !== undefined && cached.outer === outer) return cached.stack;
  const top: Frame = Object.freeze({ table, chain, ruleIndex: compiled.index });
  const stack = Object.freeze([...outer, top]);
  compiled.stackCache = { outer, stack };
  return stack;
}

/** `rule 7 does not match: `, made on the rule's first miss and kept. */
function missExplain(compiled: CompiledRule): string {
  let head = compiled.missExplain;
  if (head === undefined) {
    head = `rule ${compiled.index + 1} does not match: `;
    compiled.missExplain = head;
  }
  return head;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function walkTable(input: WalkInput): WalkResult {
  const { table, hook, settings, record, recordMiss } = input;
  const tableName = table.table.name;
  const start = table.chains.get(hook);
  if (!start)
    return { verdict: 'ACCEPT', packet: input.packet, effects: [], conntrack: input.conntrack };
  let packet = input.packet;
  let conntrack = input.conntrack;
  const effects: TargetEffect[] = [];
  const frames: WalkFrame[] = [
    { chain: start.chain, rules: start.rules, next: 0, outer: NO_FRAMES },
  ];
  /** The call stack between rules (policy, return, stop): the top frame at its next rule. */
  const stackHere = (): Frame[] => {
    const top = frames[frames.length - 1];
    if (!top) return [];
    return [...top.outer, { table: tableName, chain: top.chain.name, ruleIndex: top.next }];
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
  for (;;) {
    const top = frames[frames.length - 1];
    if (!top) break;
    if (top.next >= top.rules.length) {
      if (frames.length === 1) {
        const policy = top.chain.policy ?? 'ACCEPT';
        record({
          kind: 'policy',
          table: tableName,
          chain: top.chain.name,
          rule: undefined,
          ruleIndex: undefined,
          matched: undefined,
          failedMatch: undefined,
          verdict: policy,
          stack: stackHere(),
          before: packet,
          packet,
          conntrack,
          counter: { chain: top.chain.name, rule: 'policy' },
          explain: `end of ${tableName} ${top.chain.name}: policy ${policy}`,
          assumption: undefined,
        });
        return { verdict: policy, packet, conntrack, effects };
      }
      frames.pop();
      record({
        kind: 'return',
        table: tableName,
        chain: top.chain.name,
        rule: undefined,
        ruleIndex: undefined,
        matched: undefined,
        failedMatch: undefined,
        verdict: undefined,
        stack: stackHere(),
        before: packet,
        packet,
        conntrack,
        counter: undefined,
        explain: `end of ${top.chain.name}: back to ${frames[frames.length - 1]?.chain.name}`,
        assumption: undefined,
      });
      continue;
    }
    const compiled = top.rules[top.next] as CompiledRule;
    top.next++;
    if (++evaluations > MAX_EVALUATIONS) {
      return stop(`more than ${MAX_EVALUATIONS} rule evaluations for one packet`, compiled.rule);
    }
    const rule = compiled.rule;
    ruleId = rule.id;
    // The IP header part first, without an outcome object: most rules of a long chain miss here.
    const headerMiss = basicMiss(compiled, packet);
    if (headerMiss !== undefined) {
      recordMiss(
        tableName,
        top.chain.name,
        rule,
        compiled.index,
        headerMiss,
        ruleStack(compiled, top.outer, tableName, top.chain.name),
        packet,
        conntrack,
        missExplain(compiled) + headerMiss,
        undefined,
      );
      continue;
    }
    ctx.ruleId = ruleId;
    ctx.conntrack = conntrack;
    const outcome =
      rule.matches.length === 0 ? MATCHED : matchModules(compiled, packet, ctx, settings);
    if (outcome.stop !== undefined) return stop(outcome.stop, rule);
    const stack = ruleStack(compiled, top.outer, tableName, top.chain.name);
    if (outcome.miss !== undefined) {
      recordMiss(
        tableName,
        top.chain.name,
        rule,
        compiled.index,
        outcome.miss,
        stack,
        packet,
        conntrack,
        missExplain(compiled) + outcome.miss,
        outcome.assumption,
      );
      continue;
    }
    const target = rule.target;
    const counter = { chain: top.chain.name, rule: rule.id };
    const matchedEvent = (verdict: string, after: Packet, explain: string, note?: string) =>
      record({
        kind: 'rule',
        table: tableName,
        chain: top.chain.name,
        rule,
        ruleIndex: compiled.index,
        matched: true,
        failedMatch: undefined,
        verdict,
        stack,
        before: packet,
        packet: after,
        conntrack,
        counter,
        explain: note && !explain.includes(note) ? `${explain} (${note})` : explain,
        assumption: outcome.assumption,
      });
    const label = targetLabel(rule);
    if (!target) {
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: counts and goes on`);
      continue;
    }
    if (target.kind === 'jump' || target.kind === 'goto') {
      const next = table.chains.get(target.name);
      if (!next) return stop(`chain ${target.name} does not exist`, rule);
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: ${label}`);
      // Below a jump, the outer frames are this rule's own stack; goto replaces the top frame,
      // so the new chain sits under the same outer frames as the chain it leaves.
      const outer = target.kind === 'goto' ? top.outer : stack;
      if (target.kind === 'goto') frames.pop();
      if (frames.length >= MAX_DEPTH)
        return stop('the chain calls nest deeper than 64: a jump cycle', rule);
      frames.push({ chain: next.chain, rules: next.rules, next: 0, outer });
      continue;
    }
    if (target.kind === 'verdict') {
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: ${label}`);
      if (target.name === 'RETURN') {
        if (frames.length === 1) {
          top.next = top.rules.length;
        } else {
          frames.pop();
        }
        continue;
      }
      return { verdict: target.name as WalkVerdict, packet, conntrack, effects };
    }
    const module = compiled.targetModule;
    if (!module) {
      const why = `-j ${target.name} is not simulated`;
      if (settings.unknownMatch === 'stop') return stop(why, rule);
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: ${why}, taken as a no-op`);
      continue;
    }
    ctx.ruleId = ruleId;
    ctx.conntrack = conntrack;
    const effect = module.act(target.data, packet, ctx);
    const after = effect.packet ?? packet;
    const changed = changesText(packet, after);
    matchedEvent(
      label,
      after,
      `rule ${compiled.index + 1} matches: ${label}${changed ? `: ${changed}` : ''}`,
      effect.note,
    );
    packet = after;
    conntrack = withConntrack(conntrack, effect.conntrack?.mark);
    effects.push(effect);
    if (effect.verdict === 'CONTINUE') continue;
    if (effect.verdict === 'RETURN') {
      if (frames.length === 1) top.next = top.rules.length;
      else frames.pop();
      continue;
    }
    return { verdict: effect.verdict, packet, conntrack, effects };
  }
  return { verdict: 'ACCEPT', packet, conntrack, effects };

  function stop(why: string, rule: Rule): WalkResult {
    record({
      kind: 'stop',
      table: tableName,
      chain: frames[frames.length - 1]?.chain.name ?? hook,
      rule,
      ruleIndex: undefined,
      matched: undefined,
      failedMatch: undefined,
      verdict: undefined,
      stack: stackHere(),
      before: packet,
      packet,
      conntrack,
      counter: undefined,
      explain: `nfdb stops here: ${why}`,
      assumption: undefined,
    });
    return { verdict: 'STOP', packet, conntrack, effects, stopReason: why, stopRule: rule.id };
  }
}
