/**
 * Every step in one line of plain words: why this happened. The only place a Step becomes a
 * sentence; the walkthrough, the UI and the findings all read it from here.
 */
import type {
  ConntrackStep,
  FateReason,
  Hook,
  InvalidWhy,
  Lesson,
  ProcessEvent,
  RoutingEvent,
  RuleStep,
  SpanStep,
  Step,
  StopStep,
  WindowPosition,
} from '../../model/index.js';
import { passedMiss } from '../../model/index.js';
import { changesText, packetEnds, tupleText } from './flow.js';
import { HYPOTHESIS_TEXT, loopCauseText, missText, stopText, verdictLabel } from './verdict.js';

/** The one-line explanation of a step. */
export function explainStep(s: Step): string {
  switch (s.kind) {
    case 'emit':
      return `${s.sender ?? 'the kernel'} on ${s.host} sends ${s.label} ${packetEnds(s.packet)}`;
    case 'wire':
      return s.link
        ? `${s.host} ${s.link.dev} ▸ ${s.link.toHost} ${s.link.toIface} (next hop ${s.link.nextHop})`
        : 'out through lo and straight back in: the loopback turn-around';
    case 'hook': {
      const stages = s.stages.map((t) => (t.kind === 'table' ? t.table.name : 'conntrack'));
      return `${s.hook} on ${s.host}: ${stages.join(' → ') || 'no tables'}`;
    }
    case 'rule':
      return ruleText(s);
    case 'span':
      return spanText(s);
    case 'policy':
      return `end of ${s.table.name} ${s.chain}: policy ${s.policy}`;
    case 'return':
      return `end of ${s.chain}: back to ${s.to}`;
    case 'conntrack':
      return conntrackText(s);
    case 'routing':
      return routingText(s.event, s.packet.dst);
    case 'socket': {
      const how = s.listening
        ? `listener ${s.local.address}:${s.local.port}`
        : 'its connected socket';
      return `delivered to ${s.process} (uid ${s.uid}) on ${how}`;
    }
    case 'process':
      return processText(s.event);
    case 'fate':
      return fateText(s.reason, s.host);
    case 'stop':
      return stopStepText(s);
  }
}

function ruleText(s: RuleStep): string {
  const n = s.ruleIndex + 1;
  if (!s.matched) return `rule ${n} does not match: ${s.miss ? missText(s.miss) : ''}`;
  return `rule ${n} matches: ${ruleOutcome(s)}`;
}

/** Rules passed over: the one's miss in full, or how many did not match (each on demand). */
function spanText(s: SpanStep): string {
  const first = s.passed[0];
  if (s.passed.length === 1 && first)
    return `rule ${s.ruleIndex + 1} does not match: ${missText(passedMiss(first, s.packet))}`;
  return `${spanRange(s)} do not match`;
}

/** `rules 1–9000`: the positions a span passed over, 1-based as iptables numbers them. */
export function spanRange(s: SpanStep): string {
  const last = s.ruleIndex + s.passed.length;
  return last === s.ruleIndex + 1 ? `rule ${last}` : `rules ${s.ruleIndex + 1}–${last}`;
}

/** What a matched rule did: `RETURN`, `REDIRECT: dst 10.0.0.2:9080 → 10.0.0.2:15006`. */
export function ruleOutcome(s: RuleStep): string {
  const v = s.verdict;
  if (!v || v.kind === 'continue') return 'counts and goes on';
  if (v.kind !== 'target') return verdictLabel(v);
  if (!v.simulated) return `-j ${v.name} is not simulated, taken as a no-op`;
  const changed = changesText(s.changes);
  const note = v.effect.note === undefined ? '' : ` (${v.effect.note})`;
  return `${v.name}${changed ? `: ${changed}` : ''}${note}`;
}

function conntrackText(s: ConntrackStep): string {
  const e = s.event;
  switch (e.kind) {
    case 'new': {
      const mid = e.pickedUp
        ? ', picked up mid-stream from a segment that is not a SYN (nf_conntrack_tcp_loose=1)'
        : '';
      return `conntrack: new connection ${tupleText(e.original)}${e.zone ? ` in zone ${e.zone}` : ''}${mid}: NEW`;
    }
    case 'found': {
      const ignored = e.ignored
        ? `; ${windowText(e.ignored)}: tcp_in_window ignores it, the entry stays`
        : '';
      return `conntrack: ${e.direction} direction of ${tupleText(e.original)}: ${e.state}${ignored}`;
    }
    case 'invalid':
      return `conntrack: ${invalidText(e.why)}: INVALID, no entry, so no NAT`;
    case 'attached':
      return `conntrack: the entry stays attached across lo (${e.state})`;
    case 'reject-related':
      return "conntrack: REJECT's answer carries the rejected packet's entry: RELATED";
    case 'icmp-related':
      return `conntrack: an ICMP error about ${tupleText(e.original)}: RELATED`;
    case 'icmp-untracked':
      return `conntrack: an ICMP error about ${tupleText(e.quoted)}, a connection this host does not track: no entry (INVALID), no NAT`;
    case 'untracked':
      return 'conntrack: untracked (NOTRACK): no entry, no NAT';
    case 'nat-skipped': {
      const head = `${e.table.name} ${s.hook} is not consulted`;
      if (e.why === 'invalid')
        return `${head}, nor any NAT applied: an INVALID packet has no conntrack entry`;
      if (e.why === 'icmp-error')
        return `${head}: an ICMP error is translated from its connection's NAT, never by the nat table`;
      if (e.why === 'decided')
        return `${head}: this connection's ${e.manip === 'dnat' ? 'destination' : 'source'} NAT was decided earlier on this host`;
      const state = e.direction === 'reply' ? 'reply' : 'ESTABLISHED';
      return `${head}: not the first packet of the connection (conntrack ${state}); conntrack applies the connection's NAT`;
    }
    case 'nat-applied': {
      const what = [changesText(s.changes)];
      if (e.quoted)
        what.push(`quoted ${tupleText(e.quoted.before)} → ${tupleText(e.quoted.after)}`);
      const of = e.quoted ? ' of an ICMP error' : '';
      return `conntrack ${e.manip.toUpperCase()}${of}: ${what.filter((w) => w !== '').join(', ')}`;
    }
    case 'confirmed':
      return `conntrack confirms the entry at the end of ${s.hook}: reply ${tupleText(e.reply)}`;
  }
}

/** Where a segment falls against the window, in tcp_in_window's words. */
function windowText(w: WindowPosition): string {
  if (w === 'seq-over') return 'its SEQ is over the window of the receiver';
  if (w === 'ack-over') return 'it ACKs data the other side never sent';
  return 'an old retransmission, its SEQ under the window (data already ACKed)';
}

function invalidText(why: InvalidWhy): string {
  if (why.kind === 'window') return `${windowText(why.window)} (tcp_in_window)`;
  if (why.kind === 'not-picked-up')
    return 'an ACK with no entry, and nf_conntrack_tcp_loose=0 picks up no connection mid-stream';
  return `a ${why.segment} segment with no entry cannot open a connection`;
}

function routingText(e: RoutingEvent, dst: string): string {
  switch (e.kind) {
    case 'no-route':
      return `routing: no route to ${dst} (${e.rule ?? 'no table'})`;
    case 'output':
      return `routing: ${dst} → ${e.route} (${e.rule})`;
    case 'reroute':
      return `rerouted after OUTPUT changed the packet: ${e.route} (${e.rule})`;
    case 'local':
      return `routing: ${dst} is local (${e.route}; ${e.rule}) ▸ INPUT`;
    case 'forward':
      return `routing: forward ${dst} via ${e.route} ▸ FORWARD`;
  }
}

function processText(e: ProcessEvent): string {
  switch (e.kind) {
    case 'answers':
      return `${e.process} (uid ${e.uid}) answers ${e.bytes} bytes`;
    case 'answers-dns':
      return `${e.process} answers the DNS query with ${e.bytes} bytes`;
    case 'answers-itself':
      return `${e.process} answers on its own listener ${e.port}`;
    case 'closes':
      return `${e.process} (uid ${e.uid}) accepts on its ${e.port} listener and closes the connection at once: it has accepted its limit of ${e.limit} connections (maxConnections)`;
    case 'proxies': {
      const how = howText(e.by);
      const from = e.bind === undefined ? '' : ` from ${e.bind}`;
      const to = `${e.original.address}:${e.original.port}`;
      return `${e.process} (uid ${e.uid}) accepts on its ${e.side} (${e.port}) listener; original destination ${to} by ${how}; opens a NEW connection${from}`;
    }
    case 'rewrites': {
      const to = `${e.original.address}:${e.original.port}`;
      return `${e.process} (uid ${e.uid}) does not accept on its ${e.side} (${e.port}) listener: it rewrites the packet to the original destination ${to} (by ${howText(e.by)}), source unchanged, and sends it again as its own (${HYPOTHESIS_TEXT})`;
    }
    case 'reset':
      return `${e.process}'s TCP takes the RST from ${e.from}: its connection is reset (ECONNRESET)`;
  }
}

/** How a proxy learns where a redirected connection was going. */
function howText(by: 'SO_ORIGINAL_DST' | 'TPROXY'): string {
  return by === 'TPROXY'
    ? 'the local address (TPROXY kept the destination)'
    : 'SO_ORIGINAL_DST from conntrack';
}

function fateText(r: FateReason, host: string): string {
  switch (r.kind) {
    case 'no-route':
      return r.after === 'OUTPUT'
        ? 'no route after OUTPUT changed the packet'
        : 'no route to the destination';
    case 'no-neighbour':
      return `nobody on ${r.dev} answers ARP for ${r.nextHop}`;
    case 'martian':
      return `martian destination ${r.dst} on ${r.iface}: the kernel drops it`;
    case 'not-forwarding':
      return `routing: ${r.dst} is not local and ${host} does not forward`;
    case 'ttl-exceeded':
      return `TTL exceeded: forwarded ${r.hops.length - 1} times (${ttlHops(r.hops)}), ${host} drops it and sends ICMP time exceeded`;
    case 'icmp-no-socket':
      return `no socket sent ${tupleText(r.quoted)}: the kernel ignores this ICMP error`;
    case 'nothing-listens': {
      const answer = r.protocol === 'tcp' ? 'TCP RST' : 'ICMP port unreachable';
      return `nothing listens on ${r.dst}:${r.dport}/${r.protocol}: the kernel answers ${answer}`;
    }
    case 'no-connection':
      return `no connection owns this segment on ${r.dst}:${r.dport}, only ${r.process}'s listener: the kernel answers TCP RST`;
    case 'tproxy-no-socket':
      return `TPROXY: no transparent socket on ${r.address}:${r.port}: the packet is dropped`;
    case 'rejected':
      return `REJECT: dropped, and ${r.with} is sent back to ${r.to}`;
    case 'table-drop':
      return `dropped by ${r.table.name} ${r.hook}`;
  }
}

function stopStepText(s: StopStep): string {
  const r = s.reason;
  if (r.kind === 'loop') return `loop: ${stopText(r)}; ${loopCauseText(r.process, r.cause)}`;
  if (r.kind === 'to-user-space') return `${stopText(r)}; nfdb stops here`;
  return `nfdb stops here: ${stopText(r)}`;
}

/** Where the packet is, as the path strip names it: `lo`, `wire`, `envoy 10.0.0.2:15006`. */
export function placeOf(s: Step): string | undefined {
  if (s.kind === 'wire') return s.via;
  if (s.kind === 'socket')
    return s.listening ? `${s.process} ${s.local.address}:${s.local.port}` : s.process;
  return undefined;
}

/** The lesson a step teaches, for the UI's explanation. */
export function lessonOf(s: Step): Lesson | undefined {
  if (s.kind === 'conntrack' && s.event.kind === 'nat-skipped') return 'nat-first-packet-only';
  if (s.kind === 'process' && s.event.kind === 'proxies') return 'proxy-opens-new-connection';
  return undefined;
}

/** A step's outcome in one word for the timeline: the fate, or why it stopped. */
export function outcomeWord(s: Step): string {
  if (s.kind === 'fate') return s.fate;
  if (s.kind === 'stop') {
    if (s.reason.kind === 'loop') return 'loop';
    return s.reason.kind === 'to-user-space' ? 'stopped' : 'stop';
  }
  return s.kind;
}

/** The hook a step happened at, for the kinds that happen inside one. */
export function hookOf(s: Step): Hook | undefined {
  switch (s.kind) {
    case 'hook':
    case 'rule':
    case 'span':
    case 'policy':
    case 'return':
    case 'conntrack':
    case 'stop':
      return s.hook;
    default:
      return undefined;
  }
}

/** Where in netfilter a step is, as the walkthrough and the timeline label it: `nat OUTPUT #3`. */
export function whereOf(s: Step): string {
  if (s.kind === 'rule') return `${s.table.name} ${s.chain} #${s.ruleIndex + 1}`;
  if (s.kind === 'span') {
    const last = s.ruleIndex + s.passed.length;
    const at = last === s.ruleIndex + 1 ? `${last}` : `${s.ruleIndex + 1}–${last}`;
    return `${s.table.name} ${s.chain} #${at}`;
  }
  if (s.kind === 'policy' || s.kind === 'return') return `${s.table.name} ${s.chain}`;
  return hookOf(s) ?? s.kind;
}

/** Each lesson in words: what people get wrong about the step, said where it happens. */
export const LESSON_TEXT: Readonly<Record<Lesson, string>> = {
  'nat-first-packet-only':
    'The nat table sees only the first packet of a connection: every later packet, and every reply, is rewritten by conntrack from the NAT decided then.',
  'proxy-opens-new-connection':
    'Envoy does not rewrite packets: it accepts the connection and opens a new one, with its own conntrack entry and its own pass through the nat table.',
};

/** The hosts a packet went through: the first and last few when there are many. */
function ttlHops(hops: readonly string[]): string {
  if (hops.length <= 6) return hops.join(' → ');
  return `${hops.slice(0, 3).join(' → ')} → … → ${hops.slice(-2).join(' → ')}`;
}
