/**
 * The rule scan of one table at one hook: ipt_do_table(). Rules in order; a rule matches when its
 * IP header part and every `-m` module match; its counters move; its target decides. Jumps push a
 * frame, goto replaces the top one, RETURN or the end of a user chain pops, the end of a built-in
 * chain applies its policy. Hand-written (no generic visitor) because it is the hot path.
 */

import type { Chain, Rule, TableName } from '../../rules/model.js';
import type { Frame } from '../../trace/types.js';
import type { EngineSettings } from '../../world/types.js';
import type {
  ConntrackView,
  Hook,
  MatchContext,
  Packet,
  TargetContext,
  TargetEffect,
} from '../vocabulary.js';
import { basicMiss } from './basic-match.js';
import { packetChanges } from './changes.js';
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
}

/** A jump cycle cannot hang the engine: the kernel refuses one at load, an edit may not. */
const MAX_DEPTH = 64;
const MAX_EVALUATIONS = 2_000_000;

type MatchOutcome =
  | { readonly miss?: undefined; readonly stop?: undefined; readonly assumption?: string }
  | { readonly miss: string; readonly stop?: undefined; readonly assumption?: string }
  | { readonly stop: string; readonly miss?: undefined };

function unknownOutcome(why: string, settings: EngineSettings): MatchOutcome {
  if (settings.unknownMatch === 'stop') return { stop: why };
  const assumption = `${why}; taken as ${settings.unknownMatch} (setting)`;
  return settings.unknownMatch === 'match' ? { assumption } : { miss: why, assumption };
}

function matchRule(rule: CompiledRule, packet: Packet, ctx: MatchContext, s: EngineSettings) {
  const miss = basicMiss(rule, packet);
  if (miss) return { miss };
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
  return { assumption } as MatchOutcome;
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

export function walkTable(input: WalkInput): WalkResult {
  const { table, hook, settings, record } = input;
  const tableName = table.table.name;
  const start = table.chains.get(hook);
  if (!start)
    return { verdict: 'ACCEPT', packet: input.packet, effects: [], conntrack: input.conntrack };
  let packet = input.packet;
  let conntrack = input.conntrack;
  const effects: TargetEffect[] = [];
  const frames: { chain: Chain; rules: readonly CompiledRule[]; next: number }[] = [
    { chain: start.chain, rules: start.rules, next: 0 },
  ];
  const stackOf = (): Frame[] =>
    frames.map((f, i) => ({
      table: tableName,
      chain: f.chain.name,
      ruleIndex: i === frames.length - 1 ? f.next : f.next - 1,
    }));
  let evaluations = 0;
  let ruleId = '';
  // statistic --mode nth keeps one counter per rule: key it by the rule being evaluated.
  const nextNth = (id: string, every: number, start: number) =>
    input.context.nextNth(id || ruleId, every, start);
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
          verdict: policy,
          stack: stackOf(),
          before: packet,
          packet,
          conntrack,
          counter: { chain: top.chain.name, rule: 'policy' },
          explain: `end of ${tableName} ${top.chain.name}: policy ${policy}`,
        });
        return { verdict: policy, packet, conntrack, effects };
      }
      frames.pop();
      record({
        kind: 'return',
        table: tableName,
        chain: top.chain.name,
        stack: stackOf(),
        before: packet,
        packet,
        conntrack,
        explain: `end of ${top.chain.name}: back to ${frames[frames.length - 1]?.chain.name}`,
      });
      continue;
    }
    const compiled = top.rules[top.next] as CompiledRule;
    top.next++;
    if (++evaluations > MAX_EVALUATIONS) {
      return stop(`more than ${MAX_EVALUATIONS} rule evaluations for one packet`, compiled.rule);
    }
    ruleId = compiled.rule.id;
    const ctx: TargetContext = {
      ...input.context,
      nextNth,
      hook,
      table: tableName,
      conntrack,
      ruleId: compiled.rule.id,
    };
    const outcome = matchRule(compiled, packet, ctx, settings);
    const base = {
      table: tableName,
      chain: top.chain.name,
      rule: compiled.rule,
      ruleIndex: compiled.index,
      stack: stackOf().map((f, i, all) =>
        i === all.length - 1 ? { ...f, ruleIndex: compiled.index } : f,
      ),
    };
    if (outcome.stop !== undefined) return stop(outcome.stop, compiled.rule);
    if (outcome.miss !== undefined) {
      record({
        ...base,
        kind: 'rule',
        matched: false,
        failedMatch: outcome.miss,
        before: packet,
        packet,
        conntrack,
        explain: `rule ${compiled.index + 1} does not match: ${outcome.miss}`,
        assumption: outcome.assumption,
      });
      continue;
    }
    const target = compiled.rule.target;
    const counter = { chain: top.chain.name, rule: compiled.rule.id };
    const matchedEvent = (verdict: string, after: Packet, explain: string, note?: string) =>
      record({
        ...base,
        kind: 'rule',
        matched: true,
        verdict,
        before: packet,
        packet: after,
        conntrack,
        counter,
        explain: note && !explain.includes(note) ? `${explain} (${note})` : explain,
        assumption: outcome.assumption,
      });
    const label = targetLabel(compiled.rule);
    if (!target) {
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: counts and goes on`);
      continue;
    }
    if (target.kind === 'jump' || target.kind === 'goto') {
      const next = table.chains.get(target.name);
      if (!next) return stop(`chain ${target.name} does not exist`, compiled.rule);
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: ${label}`);
      if (target.kind === 'goto') frames.pop();
      if (frames.length >= MAX_DEPTH)
        return stop('the chain calls nest deeper than 64: a jump cycle', compiled.rule);
      frames.push({ chain: next.chain, rules: next.rules, next: 0 });
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
      if (settings.unknownMatch === 'stop') return stop(why, compiled.rule);
      matchedEvent(label, packet, `rule ${compiled.index + 1} matches: ${why}, taken as a no-op`);
      continue;
    }
    const effect = module.act(target.data, packet, ctx);
    const after = effect.packet ?? packet;
    const changes = packetChanges(packet, after);
    const changed = changes.map((c) => `${c.field} ${c.before} → ${c.after}`).join(', ');
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
      stack: stackOf(),
      before: packet,
      packet,
      conntrack,
      explain: `nfdb stops here: ${why}`,
    });
    return { verdict: 'STOP', packet, conntrack, effects, stopReason: why, stopRule: rule.id };
  }
}
