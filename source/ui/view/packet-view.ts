/** The packet at a cursor in words: where it goes, what it carries, its conntrack entry. */

import type { ConntrackView, Packet, Scenario, Step, Trace } from '../../model/index.js';
import { changeText, connectionLabel, flowText, packetEnds } from '../../trace/words/index.js';
import { packetOf } from './packet-of.js';
import { ruleSetLines } from './rule-sets.js';

/** A conntrack entry: its state line, its two tuples (flows), and its status bits if any. */
export interface ConntrackLines {
  readonly entry: string;
  readonly original: string;
  readonly reply: string;
  readonly status?: string;
}

export interface PacketView {
  readonly title: string;
  readonly connection: string;
  /** Where it goes: the 5-tuple, and for an ICMP error its type and the packet it quotes. */
  readonly flow: readonly string[];
  /** What else it carries: flags, size, mark, interfaces, sender. */
  readonly details: readonly string[];
  readonly changes: readonly string[];
  /** The ipsets the rule at the cursor reads, with their members (given a scenario). */
  readonly sets: readonly string[];
  readonly conntrack?: ConntrackLines;
}

function flagsText(step: Step): string {
  const f = step.packet.tcpFlags;
  if (!f) return '';
  return (['syn', 'ack', 'fin', 'rst', 'psh'] as const)
    .filter((k) => f[k])
    .map((k) => k.toUpperCase())
    .join(',');
}

/** An ICMP error's type and the packet it quotes: what finds its connection, and its socket. */
function icmpLines(p: Packet): string[] {
  if (p.icmpType === undefined) return [];
  const q = p.embedded;
  return [
    `icmp type ${p.icmpType} code ${p.icmpCode ?? 0}`,
    ...(q ? [`quotes ${q.protocol} ${flowText(q)}`] : []),
  ];
}

/**
 * The connection's entry on this host before the packet is attached to it (a reply or a later
 * packet at its emit step): conntrack finds it at the packet's first conntrack hook, but it
 * exists already, as the connection's last packet here left it.
 */
function pendingEntry(trace: Trace, cursor: number): ConntrackView | undefined {
  const step = trace.steps[cursor];
  if (!step || step.conntrack) return undefined;
  for (let i = cursor - 1; i >= 0; i--) {
    const s = trace.steps[i];
    if (s?.connectionId === step.connectionId && s.host === step.host && s.conntrack)
      return s.conntrack;
  }
  return undefined;
}

function conntrackLines(trace: Trace, cursor: number): ConntrackLines | undefined {
  const step = trace.steps[cursor];
  const attached = step?.conntrack;
  const ct = attached ?? pendingEntry(trace, cursor);
  if (!ct) return undefined;
  const mark = `zone ${ct.zone} mark 0x${ct.mark.toString(16)}`;
  return {
    entry: attached
      ? `${ct.id} ${ct.state} ${ct.direction} ${mark}`
      : `${ct.id} ${mark}: the connection's entry, not yet attached to this packet`,
    original: `orig  ${flowText(ct.original)}`,
    reply: `reply ${flowText(ct.reply)}`,
    status: ct.status.length > 0 ? `status ${ct.status.join(',')}` : undefined,
  };
}

export function packetView(
  trace: Trace,
  cursor: number,
  scenario?: Scenario,
): PacketView | undefined {
  const step = trace.steps[cursor];
  const info = packetOf(trace, step);
  if (!step || !info) return undefined;
  const p = step.packet;
  const conn = trace.connections[info.connectionId - 1];
  const s = info.sender;
  const sender = s ? `${s.process} uid ${s.uid} gid ${s.gid}` : 'the kernel (no socket)';
  const flags = flagsText(step);
  return {
    title: `Packet ${info.id}/${trace.packets.length} ${info.label} (${info.direction})`,
    connection: `connection ${info.connectionId}/${trace.connections.length}${conn ? `: ${connectionLabel(conn)}` : ''}`,
    flow: [`${p.protocol} ${packetEnds(p)}`, ...icmpLines(p)],
    details: [
      `${flags ? `flags ${flags}  ` : ''}len ${p.length}  mark 0x${p.mark.toString(16)}`,
      `in ${p.inInterface ?? '-'}  out ${p.outInterface ?? '-'}  on ${step.host}`,
      `sent by ${sender}`,
    ],
    changes: step.changes.map(changeText),
    sets: scenario ? ruleSetLines(scenario, step) : [],
    conntrack: conntrackLines(trace, cursor),
  };
}
