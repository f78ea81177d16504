/**
 * What the screen shows at a cursor, derived from the Trace and the World alone: the chain and
 * its rows with counters as they stand at that step, the packet, its conntrack entry, the path
 * so far. Pure, so components only lay it out and tests need no terminal.
 */

import type {
  Chain,
  Frame,
  Packet,
  PacketInfo,
  Rule,
  Ruleset,
  Scenario,
  Step,
  Table,
  TableName,
  Trace,
} from '../model/index.js';
import { cidrText } from '../netfilter/address.js';
import { changeText, flowText, packetEnds } from '../netfilter/engine/changes.js';
import { HOOK_ORDER } from '../netfilter/vocabulary.js';
import { formatCount, header, ruleExtras } from '../rules/listing.js';
import { type CounterKey, counterKey } from '../trace/counters.js';

export interface ChainRow {
  readonly index: number;
  readonly text: string;
  /**
   * Where in `text` the columns after the target start. Counters and target stay put; the rest,
   * up to the long match text, is what < and > scroll sideways.
   */
  readonly pinnedAt: number;
  /** The rule under evaluation at the cursor. */
  readonly current: boolean;
  /** Matched by this packet at or before the cursor. */
  readonly matched: boolean;
  /** Its counters moved at exactly this step. */
  readonly moved: boolean;
}

export interface ChainView {
  readonly host: string;
  readonly table: TableName;
  readonly chain: string;
  readonly header: string;
  readonly columns: string;
  /** Like ChainRow.pinnedAt, for the columns line, so it scrolls in step with the rows. */
  readonly columnsPinnedAt: number;
  readonly rowCount: number;
  readonly rowAt: (index: number) => ChainRow | undefined;
  readonly policyMoved: boolean;
  readonly currentRow?: number;
}

/**
 * Counter deltas up to a cursor. Checkpoints every 512 steps make any cursor cost at most 512
 * steps of summing, so stepping through a 10,000-rule trace stays as fast as a small one.
 */
export class CounterCache {
  private static readonly EVERY = 512;
  private readonly checkpoints: Map<CounterKey, { packets: number; bytes: number }>[] = [new Map()];
  constructor(private readonly trace: Trace) {}

  private addSteps(
    into: Map<CounterKey, { packets: number; bytes: number }>,
    from: number,
    to: number,
  ) {
    for (let i = from; i <= to; i++) {
      for (const d of this.trace.steps[i]?.counters ?? []) {
        const key = counterKey(d);
        const t = into.get(key);
        into.set(key, { packets: (t?.packets ?? 0) + d.packets, bytes: (t?.bytes ?? 0) + d.bytes });
      }
    }
  }

  /** Deltas of steps 0..cursor inclusive. */
  at(cursor: number): ReadonlyMap<CounterKey, { packets: number; bytes: number }> {
    const every = CounterCache.EVERY;
    const k = Math.floor((cursor + 1) / every);
    // checkpoints[j] holds the deltas of steps 0 .. j*every-1.
    while (this.checkpoints.length <= k) {
      const j = this.checkpoints.length;
      const next = new Map(this.checkpoints[j - 1]);
      this.addSteps(next, (j - 1) * every, j * every - 1);
      this.checkpoints.push(next);
    }
    const result = new Map(this.checkpoints[k]);
    this.addSteps(result, k * every, cursor);
    return result;
  }
}

export function packetOf(trace: Trace, step: Step | undefined): PacketInfo | undefined {
  return step ? trace.packets[step.packetId - 1] : undefined;
}

/** The chain to show: the selected stack frame, else the step's own, else the packet's last one. */
export function focusChain(
  trace: Trace,
  cursor: number,
  frame?: number,
): { host: string; table: TableName; chain: string; ruleIndex?: number } | undefined {
  const step = trace.steps[cursor];
  if (!step) return undefined;
  const selected: Frame | undefined = frame !== undefined ? step.stack[frame] : undefined;
  if (selected)
    return {
      host: step.host,
      table: selected.table,
      chain: selected.chain,
      ruleIndex: selected.ruleIndex,
    };
  // A nat table skipped for a later packet: show the chain it did not enter.
  if (step.table && step.hook && !step.chain)
    return { host: step.host, table: step.table, chain: step.hook };
  for (let i = cursor; i >= 0; i--) {
    const s = trace.steps[i];
    if (!s || s.packetId !== step.packetId || (i < cursor && s.kind === 'hook')) break;
    if (s.table && s.chain)
      return {
        host: s.host,
        table: s.table,
        chain: s.chain,
        ruleIndex: i === cursor ? s.ruleIndex : undefined,
      };
  }
  return undefined;
}

function rulesetFor(
  scenario: Scenario,
  host: string,
  family: 'ipv4' | 'ipv6',
): Ruleset | undefined {
  return scenario.world.hosts
    .find((h) => h.name === host)
    ?.rulesets.find((r) => r.family === family);
}

/** Every chain of the host the step is on, in iptables-save order, for browsing with { }. */
export function hostChains(scenario: Scenario, trace: Trace, cursor: number) {
  const step = trace.steps[cursor];
  if (!step) return [];
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  return (ruleset?.tables ?? []).flatMap((t) =>
    t.chains.map((c) => ({ host: step.host, table: t.name, chain: c.name })),
  );
}

/** In a hook before its chains (entering it, conntrack): the first of its tables this host has. */
function hookChain(scenario: Scenario, trace: Trace, cursor: number) {
  const step = trace.steps[cursor];
  if (!step?.hook) return undefined;
  const ruleset = rulesetFor(scenario, step.host, step.packet.family);
  const hook = step.hook;
  const table = HOOK_ORDER[hook].find((t) =>
    ruleset?.tables.some((x) => x.name === t && x.chains.some((c) => c.name === hook)),
  );
  return table ? { host: step.host, table: table as TableName, chain: hook } : undefined;
}

export function chainView(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  counters: CounterCache,
  frame?: number,
  browse?: number,
): ChainView | undefined {
  const step = trace.steps[cursor];
  const chains = browse === undefined ? [] : hostChains(scenario, trace, cursor);
  const browsed = chains.length > 0 ? chains[(browse ?? 0) % chains.length] : undefined;
  const focus = browsed ?? focusChain(trace, cursor, frame) ?? hookChain(scenario, trace, cursor);
  if (!step || !focus) return undefined;
  const ruleset = rulesetFor(scenario, focus.host, step.packet.family);
  const table: Table | undefined = ruleset?.tables.find((t) => t.name === focus.table);
  const chain: Chain | undefined = table?.chains.find((c) => c.name === focus.chain);
  if (!ruleset || !table || !chain) return undefined;
  const deltas = counters.at(cursor);
  const key = { host: focus.host, family: ruleset.family, table: table.name, chain: chain.name };
  const withCounters = (id: string, base: { packets: number; bytes: number }) => {
    const d = deltas.get(counterKey({ ...key, rule: id }));
    return d ? { packets: base.packets + d.packets, bytes: base.bytes + d.bytes } : base;
  };
  const matchedHere = new Set<string>();
  const packet = packetOf(trace, step);
  for (let i = packet?.firstStep ?? cursor; i <= cursor; i++) {
    const s = trace.steps[i];
    if (s?.kind === 'rule' && s.matched && s.ruleId && s.host === focus.host)
      matchedHere.add(s.ruleId);
  }
  const movedNow = new Set(step.counters.map((c) => counterKey(c)));
  const widths = columnWidths(chain);
  const columns = compactColumns(widths);
  const ruleIndex = browsed ? undefined : (focus as { ruleIndex?: number }).ruleIndex;
  const currentRow: number | undefined =
    ruleIndex !== undefined && (step.kind === 'rule' || frame !== undefined)
      ? ruleIndex
      : undefined;
  // Rows are built on demand: a pane asks only for the ones it shows.
  const rowAt = (index: number): ChainRow | undefined => {
    const rule = chain.rules[index];
    if (!rule) return undefined;
    const { pinned, rest } = compactRow(
      { ...rule, counters: withCounters(rule.id, rule.counters) },
      widths,
    );
    return {
      index,
      text: pinned + rest,
      pinnedAt: pinned.length,
      current: currentRow === index,
      matched: matchedHere.has(rule.id),
      moved: movedNow.has(counterKey({ ...key, rule: rule.id })),
    };
  };
  const policy = withCounters('policy', chain.counters);
  return {
    host: focus.host,
    table: table.name,
    chain: chain.name,
    header: chain.builtin
      ? header(table, { ...chain, counters: policy }, false)
      : `Chain ${chain.name} (${referencesOf(table).get(chain.name) ?? 0} references)`,
    columns: columns.text,
    columnsPinnedAt: columns.pinnedAt,
    rowCount: chain.rules.length,
    rowAt,
    policyMoved: movedNow.has(counterKey({ ...key, rule: 'policy' })),
    currentRow,
  };
}

interface Widths {
  readonly target: number;
  /** 0 when no rule of the chain uses the column: it is left out. */
  readonly proto: number;
  readonly iface: number;
  readonly source: number;
  readonly destination: number;
}

const widthCache = new WeakMap<Chain, Widths>();
const referenceCache = new WeakMap<Table, Map<string, number>>();

/** Jumps and gotos to each chain of a table, counted once per table (not per frame drawn). */
function referencesOf(table: Table): Map<string, number> {
  let refs = referenceCache.get(table);
  if (!refs) {
    refs = new Map();
    for (const c of table.chains)
      for (const r of c.rules)
        if (r.target?.kind === 'jump' || r.target?.kind === 'goto')
          refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1);
    referenceCache.set(table, refs);
  }
  return refs;
}

const addressText = (a: Rule['source']) =>
  a ? `${a.negated ? '!' : ''}${cidrText(a.value)}` : '*';
const ifaceText = (i: Rule['inInterface']) => (i ? `${i.negated ? '!' : ''}${i.value}` : '*');
const protoText = (rule: Rule) =>
  rule.protocol ? `${rule.protocol.negated ? '!' : ''}${rule.protocol.value}` : 'all';

function columnWidths(chain: Chain): Widths {
  const hit = widthCache.get(chain);
  if (hit) return hit;
  let target = 6;
  let proto = 0;
  let iface = 0;
  let source = 0;
  let destination = 0;
  for (const r of chain.rules) {
    target = Math.max(target, (r.target?.name ?? '').length);
    if (r.protocol) proto = Math.max(proto, 4, protoText(r).length);
    if (r.inInterface || r.outInterface)
      iface = Math.max(iface, 3, ifaceText(r.inInterface).length, ifaceText(r.outInterface).length);
    if (r.source) source = Math.max(source, 6, addressText(r.source).length);
    if (r.destination) destination = Math.max(destination, 11, addressText(r.destination).length);
  }
  const w = { target: Math.min(target, 20), proto, iface, source, destination };
  widthCache.set(chain, w);
  return w;
}

const col = (text: string, width: number) => (width > 0 ? `${text.padEnd(width)} ` : '');

/** `iptables -L -v` columns, squeezed: columns no rule of the chain uses are left out. */
function compactRow(rule: Rule, w: Widths): { pinned: string; rest: string } {
  const pinned = [
    formatCount(rule.counters.packets, false),
    formatCount(rule.counters.bytes, false),
    col(rule.target?.name ?? '', w.target),
  ].join('');
  const rest = [
    col(protoText(rule), w.proto),
    col(ifaceText(rule.inInterface), w.iface),
    col(ifaceText(rule.outInterface), w.iface),
    col(addressText(rule.source), w.source),
    col(addressText(rule.destination), w.destination),
    ruleExtras(rule).trimStart(),
  ].join('');
  return { pinned, rest };
}

/** The header line over compactRow's columns, and where its own pinned part ends. */
function compactColumns(w: Widths): { text: string; pinnedAt: number } {
  const pinned = ` pkts bytes ${col('target', w.target)}`;
  const rest = [
    col('prot', w.proto),
    col('in', w.iface),
    col('out', w.iface),
    col('source', w.source),
    col('destination', w.destination),
  ].join('');
  return { text: pinned + rest, pinnedAt: pinned.length };
}

export interface PacketView {
  readonly title: string;
  readonly connection: string;
  /** Where it goes: the 5-tuple, and for an ICMP error its type and the packet it quotes. */
  readonly flow: readonly string[];
  /** What else it carries: flags, size, mark, interfaces, sender. */
  readonly details: readonly string[];
  readonly changes: readonly string[];
  readonly conntrack: readonly string[];
}

function flagsText(step: Step): string {
  const f = step.packet.tcpFlags;
  if (!f) return '';
  return (['syn', 'ack', 'fin', 'rst', 'psh'] as const)
    .filter((k) => f[k])
    .map((k) => k.toUpperCase())
    .join(',');
}

export function packetView(trace: Trace, cursor: number): PacketView | undefined {
  const step = trace.steps[cursor];
  const info = packetOf(trace, step);
  if (!step || !info) return undefined;
  const p = step.packet;
  const conn = trace.connections[info.connectionId - 1];
  const s = info.sender;
  const sender = s ? `${s.process} uid ${s.uid} gid ${s.gid}` : 'the kernel (no socket)';
  const ct = step.conntrack;
  return {
    title: `Packet ${info.id}/${trace.packets.length} ${info.label} (${info.direction})`,
    connection: `connection ${info.connectionId}/${trace.connections.length}${conn ? `: ${conn.label}` : ''}`,
    flow: [`${p.protocol} ${packetEnds(p)}`, ...icmpLines(p)],
    details: [
      `${flagsText(step) ? `flags ${flagsText(step)}  ` : ''}len ${p.length}  mark 0x${p.mark.toString(16)}`,
      `in ${p.inInterface ?? '-'}  out ${p.outInterface ?? '-'}  on ${step.host}`,
      `sent by ${sender}`,
    ],
    changes: step.changes.map(changeText),
    conntrack: ct
      ? [
          `${ct.id} ${ct.state} ${ct.direction} zone ${ct.zone} mark 0x${ct.mark.toString(16)}`,
          `orig  ${flowText(ct.original)}`,
          `reply ${flowText(ct.reply)}`,
          ct.status.length > 0 ? `status ${ct.status.join(',')}` : '',
        ].filter((l) => l !== '')
      : ['no conntrack entry'],
  };
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

export interface PathToken {
  readonly text: string;
  readonly lit: boolean;
}

const pathCache = new WeakMap<Trace, Map<number, { text: string; from: number; to: number }[]>>();

function pathTokens(trace: Trace, info: PacketInfo) {
  let perTrace = pathCache.get(trace);
  if (!perTrace) {
    perTrace = new Map();
    pathCache.set(trace, perTrace);
  }
  const hit = perTrace.get(info.id);
  if (hit) return hit;
  const tokens: { text: string; from: number; to: number }[] = [];
  let host = '';
  for (let i = info.firstStep; i <= info.lastStep; i++) {
    const s = trace.steps[i];
    if (!s) continue;
    let text: string | undefined;
    if (s.host !== host) {
      host = s.host;
      tokens.push({ text: host, from: i, to: i });
    }
    if (s.kind === 'hook') text = s.hook;
    else if (s.kind === 'routing') text = 'routing';
    else if (s.kind === 'wire' || s.kind === 'socket') text = s.place;
    else if (s.kind === 'fate' || s.kind === 'stop') text = s.verdict ?? s.kind;
    const last = tokens[tokens.length - 1];
    if (text && last?.text !== text) tokens.push({ text, from: i, to: i });
    else if (last) last.to = i;
  }
  perTrace.set(info.id, tokens);
  return tokens;
}

/** The packet's way so far and to come, as the picture people draw: host ▸ hook ▸ ... ▸ socket. */
export function pathStrip(trace: Trace, cursor: number): PathToken[] {
  const info = packetOf(trace, trace.steps[cursor]);
  if (!info) return [];
  return pathTokens(trace, info).map((t) => ({
    text: t.text,
    lit: cursor >= t.from && cursor <= t.to,
  }));
}

export function stackText(step: Step | undefined): string {
  if (!step || step.stack.length === 0) return '';
  return `${step.stack[0]?.table} ${step.stack.map((f) => f.chain).join(' › ')}`;
}

export function timelineLine(step: Step): string {
  const where =
    step.kind === 'rule' || step.kind === 'policy' || step.kind === 'return'
      ? `${step.table} ${step.chain}${step.ruleIndex !== undefined ? ` #${step.ruleIndex + 1}` : ''}`
      : (step.hook ?? step.kind);
  return `${String(step.index).padStart(5)} ${step.host.padEnd(12).slice(0, 12)} ${where.padEnd(24).slice(0, 24)} ${step.explain}`;
}

/** The explanation of the step in plain words, with the lesson behind it where there is one. */
export function explanation(step: Step | undefined): string[] {
  if (!step) return [];
  const lines = [step.explain];
  if (step.assumption) lines.push(`Assumed: ${step.assumption}`);
  if (step.lesson === 'nat-first-packet-only')
    lines.push(
      'The nat table sees only the first packet of a connection: every later packet, and every reply, is rewritten by conntrack from the NAT decided then.',
    );
  if (step.lesson === 'proxy-opens-new-connection')
    lines.push(
      'Envoy does not rewrite packets: it accepts the connection and opens a new one, with its own conntrack entry and its own pass through the nat table.',
    );
  return lines;
}

/** Per step, the text `/` searches: the timeline line and the evaluated rule as -L shows it. */
export function searchIndex(scenario: Scenario, trace: Trace): string[] {
  const rules = new Map<string, Rule>();
  for (const h of scenario.world.hosts)
    for (const r of h.rulesets)
      for (const t of r.tables)
        for (const c of t.chains) for (const rule of c.rules) rules.set(rule.id, rule);
  return trace.steps.map((s) => {
    const rule = s.ruleId ? rules.get(s.ruleId) : undefined;
    const text = rule ? ` ${rule.target?.name ?? ''} ${ruleExtras(rule)}` : '';
    return `${timelineLine(s)}${text}`.toLowerCase();
  });
}

/** Every connection of the scenario as a chip, the one the cursor is in lit. */
export function connectionChips(trace: Trace, cursor: number): { text: string; lit: boolean }[] {
  const current = trace.steps[cursor]?.connectionId;
  return trace.connections.map((c) => ({
    text: `${c.id} ${c.label}`,
    lit: c.id === current,
  }));
}
