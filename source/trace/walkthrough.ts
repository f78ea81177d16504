/**
 * The plain-text walkthrough `nfdb run` prints: every packet of every connection, step by step,
 * numbered by step index (the same numbers the UI's `:N` jumps to). Runs of rules that did not
 * match are folded into one line so a 10,000-rule chain stays readable.
 */

import type { PacketInfo, Step, Trace } from '../model/index.js';
import { passedMiss } from '../model/index.js';
import type { RuleLookup } from './rule-lookup.js';
import { packetSteps, summary } from './summary.js';
import {
  assumptionText,
  connectionLabel,
  explainStep,
  hookOf,
  missText,
  packetEnds,
  ruleOutcome,
  ruleRefText,
  whereOf,
} from './words/index.js';

const pad = (n: number, w: number) => String(n).padStart(w);

/** Rules that did not match, in a row in one chain: a span, or a miss with an assumption. */
interface Misses {
  readonly first: Step & { readonly chain: string; readonly table: { readonly name: string } };
  readonly from: number;
  to: number;
  /** The miss in words, kept while the run is one rule. */
  why: string | undefined;
}

function missRun(s: Step): Misses | undefined {
  if (s.kind === 'span') {
    const only = s.passed.length === 1 ? s.passed[0] : undefined;
    const why = only && missText(passedMiss(only, s.packet));
    return { first: s, from: s.ruleIndex, to: s.ruleIndex + s.passed.length - 1, why };
  }
  if (s.kind === 'rule' && !s.matched)
    return { first: s, from: s.ruleIndex, to: s.ruleIndex, why: s.miss ? missText(s.miss) : '' };
  return undefined;
}

function packetLines(trace: Trace, p: PacketInfo, width: number): string[] {
  const lines: string[] = [];
  let run: Misses | undefined;
  const flush = () => {
    if (run) {
      const { first, from, to } = run;
      const range = from === to ? `rule ${from + 1} does` : `rules ${from + 1}–${to + 1} do`;
      const why = from === to ? `: ${run.why ?? ''}` : '';
      lines.push(
        `    ${pad(first.index, width)}  ${first.host.padEnd(12)} ${first.table.name} ${first.chain}: ${range} not match${why}`,
      );
    }
    run = undefined;
  };
  for (const s of packetSteps(trace, p)) {
    const misses = missRun(s);
    if (misses) {
      if (run && (run.first.chain !== misses.first.chain || run.first.host !== s.host)) flush();
      if (run) run.to = misses.to;
      else run = misses;
      continue;
    }
    flush();
    const assumed = s.kind === 'rule' && s.assumption ? s.assumption : undefined;
    const assumption = assumed ? `  [assumed: ${assumptionText(assumed)}]` : '';
    lines.push(
      `    ${pad(s.index, width)}  ${s.host.padEnd(12)} ${whereOf(s).padEnd(26)} ${explainStep(s)}${assumption}`,
    );
  }
  flush();
  return lines;
}

function natSummary(trace: Trace, connectionId: number): string[] {
  const packets = trace.packets.filter((p) => p.connectionId === connectionId);
  const natSteps = (p: PacketInfo) =>
    trace.steps.slice(p.firstStep, p.lastStep + 1).filter((s) => inNatChain(s));
  const later = packets.slice(1);
  const untouched = later.filter((p) => natSteps(p).length === 0);
  const out: string[] = [];
  if (later.length > 0 && untouched.length === later.length)
    out.push(
      `  Only its first packet went through nat chains; the other ${later.length} (replies included) were translated by conntrack alone.`,
    );
  return out;
}

/** A step inside a nat chain: a rule, a policy, a return or a stop of the nat table. */
function inNatChain(s: Step): boolean {
  const inChain =
    s.kind === 'rule' || s.kind === 'policy' || s.kind === 'return' || s.kind === 'stop';
  return inChain && s.table?.name === 'nat';
}

/** Is this step one a person would draw: a decisive rule, a NAT, a skipped nat table, an end? */
export function decisive(s: Step): boolean {
  if (s.kind === 'rule') return s.matched && s.verdict?.kind !== 'jump';
  if (s.kind === 'policy') return s.policy === 'DROP';
  if (s.kind === 'conntrack')
    return (
      s.event.kind === 'nat-applied' ||
      (s.event.kind === 'nat-skipped' && s.event.why === 'not-first')
    );
  return s.kind === 'socket' || s.kind === 'fate' || s.kind === 'stop';
}

/** A brief line's text: a matched rule by its text and what it did, any other step explained. */
export function briefText(s: Step, rules: RuleLookup | undefined): string {
  if (s.kind !== 'rule') return explainStep(s);
  const ref = rules?.(s.host, s.ruleId);
  if (!ref) return `${s.table.name} ${s.chain} #${s.ruleIndex + 1}: ${explainStep(s)}`;
  return `${s.table.name} ${ruleRefText(ref)} (matches: ${ruleOutcome(s)})`;
}

/** The packets the brief draws: each connection's first packet and first reply, by id. */
export function briefPackets(trace: Trace): Set<number> {
  const chosen = new Set<number>();
  const seen = new Set<string>();
  for (const p of trace.packets) {
    // A packet a proxy sends on as its own (a rewrite) is a hop of its own, drawn once too.
    const key = `${p.connectionId}/${p.direction}/${p.sender?.process ?? ''}`;
    if (!seen.has(key)) chosen.add(p.id);
    seen.add(key);
  }
  return chosen;
}

/**
 * The path in brief: each connection's first packet and first reply, hop by hop, and what the
 * processes did — the few lines people write by hand, each with the step to look at.
 */
export function brief(trace: Trace, rules?: RuleLookup): string[] {
  const chosen = briefPackets(trace);
  const lines = ['The path in brief (step numbers in brackets)'];
  let n = 0;
  for (const s of trace.steps) {
    const at = `[${s.index}]`;
    if (s.kind === 'process') lines.push(`${String(++n).padStart(3)}. ${at} ${explainStep(s)}`);
    if (!chosen.has(s.packetId)) continue;
    if (s.kind === 'emit') {
      const conn = trace.connections[s.connectionId - 1];
      lines.push(
        `${String(++n).padStart(3)}. ${at} ${explainStep(s)} (connection ${conn?.id}: ${conn ? connectionLabel(conn) : undefined})`,
      );
    } else if (decisive(s)) {
      const hook = hookOf(s);
      lines.push(`       ${at} ${s.host}${hook ? ` ${hook}` : ''}: ${briefText(s, rules)}`);
    }
  }
  return lines;
}

export interface WalkthroughOptions {
  /** Only this connection's steps under "Every step" (the brief still shows them all). */
  readonly connection?: number;
  /** Names rules by their text (chain, number, iptables-save text) instead of their ids. */
  readonly rules?: RuleLookup;
}

export function walkthrough(trace: Trace, options: WalkthroughOptions = {}): string {
  const width = String(trace.steps.length).length;
  const out: string[] = [
    `nfdb: ${trace.scenario}`,
    `${trace.connections.length} connections, ${trace.packets.length} packets, ${trace.steps.length} steps`,
    '',
    ...summary(trace, options.rules),
    '',
    ...brief(trace, options.rules),
    '',
    options.connection === undefined
      ? 'Every step'
      : `Every step of connection ${options.connection}`,
    '',
  ];
  const shown = trace.connections.filter(
    (c) => options.connection === undefined || c.id === options.connection,
  );
  for (const c of shown) {
    const parent = c.parent ? `, opened because of connection ${c.parent}` : '';
    out.push(`Connection ${c.id}: ${connectionLabel(c)} (${c.protocol}${parent})`);
    for (const p of trace.packets.filter((x) => x.connectionId === c.id)) {
      const first = trace.steps[p.firstStep]?.packet;
      const ends = first ? packetEnds(first) : '';
      out.push(`  Packet ${p.id}: ${p.label} ${ends} (${p.direction}) → ${p.fate}`);
      out.push(...packetLines(trace, p, width));
    }
    out.push(...natSummary(trace, c.id), '');
  }
  const lost = trace.packets.filter((p) => p.fate !== 'delivered');
  if (lost.length > 0)
    out.push(
      `Packets not delivered: ${lost.map((p) => `packet ${p.id} (${p.label}: ${p.fate})`).join(', ')}`,
      '',
    );
  out.push(...summary(trace, options.rules));
  return `${out.join('\n')}\n`;
}
