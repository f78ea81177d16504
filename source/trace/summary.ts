/**
 * The summary `nfdb run` opens and ends with, from the trace's facts only: each connection's
 * outcome (from its packets' fates and steps), the loop verdict, what was not simulated, and the
 * lessons the trace teaches. The words are in words/summary.ts.
 */
import type { Assumption, Finding, Lesson, PacketInfo, Step, Trace } from '../model/index.js';
import { loopCause } from './loop-cause.js';
import type { RuleLookup } from './rule-lookup.js';
import {
  type ConnectionOutcome,
  connectionLabel,
  hypothesisItems,
  lessonLine,
  lessonOf,
  loopVerdictItems,
  notSimulatedItems,
  outcomeText,
  type RuleRef,
  type SummaryItem,
  summaryItem,
} from './words/index.js';

/**
 * A packet's steps: from its first to its last, and the steps after that still about it (the
 * loop's stop comes after the packet's delivery).
 */
export function packetSteps(trace: Trace, p: PacketInfo): Step[] {
  let end = p.lastStep;
  while (trace.steps[end + 1]?.packetId === p.id) end++;
  return trace.steps.slice(p.firstStep, end + 1);
}

/** The rule (or policy) that decided a packet's end: the last decisive one before it. */
function decidedBy(
  steps: readonly Step[],
  rules: RuleLookup | undefined,
): RuleRef | string | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    if (s?.kind === 'policy' && s.policy === 'DROP')
      return `policy DROP of ${s.table.name} ${s.chain}`;
    if (s?.kind !== 'rule' || !s.matched) continue;
    const v = s.verdict;
    if (v?.kind === 'drop' || (v?.kind === 'target' && v.name === 'REJECT'))
      return rules?.(s.host, s.ruleId) ?? `${s.table.name} ${s.chain} rule ${s.ruleIndex + 1}`;
  }
  return undefined;
}

/** A RST that reset the connection's client, if one did: it ends the connection. */
function resetOf(trace: Trace, packets: readonly PacketInfo[]): ConnectionOutcome | undefined {
  for (const p of packets) {
    if (p.direction !== 'reply' || !p.label.startsWith('RST')) continue;
    const step = packetSteps(trace, p).find(
      (s) => s.kind === 'process' && s.event.kind === 'reset',
    );
    if (step?.kind !== 'process' || step.event.kind !== 'reset') continue;
    const { process, from } = step.event;
    return { kind: 'reset', step, packet: p.id, label: p.label, process, from };
  }
  return undefined;
}

/** What became of one connection. */
export function connectionOutcome(
  trace: Trace,
  connectionId: number,
  rules?: RuleLookup,
): ConnectionOutcome | undefined {
  const packets = trace.packets.filter((p) => p.connectionId === connectionId);
  const reset = resetOf(trace, packets);
  if (reset) return reset;
  for (const p of packets) {
    const steps = packetSteps(trace, p);
    const stop = steps.find((s) => s.kind === 'stop');
    if (stop?.kind === 'stop') {
      const rule = stop.ruleId === undefined ? undefined : rules?.(stop.host, stop.ruleId);
      return { kind: 'stopped', step: stop, packet: p.id, ...(rule === undefined ? {} : { rule }) };
    }
    if (p.fate === 'delivered') continue;
    const end = steps.find((s) => s.kind === 'fate') ?? steps[steps.length - 1];
    if (!end) continue;
    const rule = decidedBy(steps.slice(0, steps.indexOf(end)), rules);
    return {
      kind: 'ended',
      step: end,
      packet: p.id,
      label: p.label,
      ...(rule === undefined ? {} : { rule }),
    };
  }
  const first = packets[0];
  const socket = first && packetSteps(trace, first).find((s) => s.kind === 'socket');
  if (socket?.kind !== 'socket') return undefined;
  const opened = trace.connections.filter((c) => c.parent === connectionId).map((c) => c.id);
  const proxy = trace.connections.find((c) => c.parent === connectionId)?.fromProcess;
  return {
    kind: 'delivered',
    step: socket.index,
    process: socket.process,
    uid: socket.uid,
    address: socket.local.address,
    port: socket.local.port,
    packets: packets.length,
    opened,
    ...(proxy === undefined ? {} : { proxy }),
  };
}

/** The summary's lines as `nfdb run` prints them: its items, two spaces a level. */
export function summary(trace: Trace, rules?: RuleLookup): string[] {
  return summaryItems(trace, rules).map((i) => `${'  '.repeat(i.indent)}${i.text}`);
}

/**
 * The summary as items: connections, loop verdict, not simulated, lessons, each with the step it
 * is about where there is one (the UI's findings jump there).
 */
export function summaryItems(trace: Trace, rules?: RuleLookup): SummaryItem[] {
  const lines = [summaryItem('title', 0, 'Findings'), ...hypothesisItems(trace.findings)];
  const outcomes = new Map<number, ConnectionOutcome | undefined>();
  for (const c of trace.connections) {
    const o = connectionOutcome(trace, c.id, rules);
    outcomes.set(c.id, o);
    const parent = c.parent === undefined ? '' : ` (opened for connection ${c.parent})`;
    const step = o === undefined ? undefined : typeof o.step === 'number' ? o.step : o.step.index;
    lines.push(
      summaryItem(
        'connections',
        1,
        `${c.id}. ${connectionLabel(c)}${parent}: ${o ? outcomeText(o) : 'no packet reached a socket'}`,
        step,
      ),
    );
  }
  const loops = trace.findings.filter((f): f is Finding & { kind: 'loop' } => f.kind === 'loop');
  const children = trace.connections.filter((c) => c.parent !== undefined);
  const returned = children.filter((c) => {
    const o = outcomes.get(c.id);
    return o?.kind === 'delivered' && o.process === c.fromProcess;
  }).length;
  const ended = children.filter((c) => outcomes.get(c.id)?.kind !== 'delivered').length;
  const ruleRefs = (f: Finding & { kind: 'loop' }) =>
    f.rules.map((id) => rules?.(f.host, id) ?? `rule ${id}`);
  lines.push(
    ...loopVerdictItems(loops, ruleRefs, { opened: children.length, returned, ended }, (f) =>
      loopCause(trace, f),
    ),
  );
  const stops = trace.findings.filter(
    (f): f is Finding & { kind: 'not-simulated' } => f.kind === 'not-simulated',
  );
  const assumed: { step: number; assumption: Assumption }[] = [];
  const seenGaps = new Set<string>();
  for (const s of trace.steps) {
    if (s.kind !== 'rule' || !s.assumption) continue;
    const key = `${s.assumption.gap.type} ${s.assumption.gap.module}`;
    if (!seenGaps.has(key)) assumed.push({ step: s.index, assumption: s.assumption });
    seenGaps.add(key);
  }
  const stopRules = (f: Finding & { kind: 'not-simulated' }) => {
    const host = trace.steps[f.steps[0] ?? -1]?.host ?? '';
    return f.rules.map((id) => rules?.(host, id) ?? `rule ${id}`);
  };
  lines.push(...notSimulatedItems(stops, stopRules, assumed));
  const lessons = new Map<Lesson, Step>();
  for (const s of trace.steps) {
    const lesson = lessonOf(s);
    if (lesson === undefined) continue;
    const prev = lessons.get(lesson);
    // A reply is the plainest example of nat skipped.
    const isReply =
      s.kind === 'conntrack' && 'direction' in s.event && s.event.direction === 'reply';
    const prevReply =
      prev?.kind === 'conntrack' && 'direction' in prev.event && prev.event.direction === 'reply';
    if (!prev || (isReply && !prevReply)) lessons.set(lesson, s);
  }
  if (lessons.size > 0) {
    lines.push(summaryItem('lessons', 1, 'Lessons:'));
    for (const [lesson, s] of lessons)
      lines.push(summaryItem('lessons', 2, lessonLine(lesson, s), s.index));
  }
  return lines;
}
