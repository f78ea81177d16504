/**
 * The path as a graph, whatever draws it (Mermaid in markdown, Graphviz in svg and html): a node
 * for each process a packet leaves or reaches and each hook of a host it crosses (with the chains
 * it ran there), an edge for each hop of each connection's first packet and first reply,
 * labelled with the step numbers of `nfdb run` and the decisive rules and NAT changes on the way.
 */
import type { Step, Trace } from '../../model/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { briefPackets, briefText, decisive } from '../walkthrough.js';

export interface PathNode {
  /** Letters, digits and `_` only: an id every drawing language takes bare. */
  readonly id: string;
  /** The place (`reviews PREROUTING`), then the chains that ran there (`nat PREROUTING`). */
  readonly lines: readonly string[];
}

export interface PathEdge {
  readonly from: string;
  readonly to: string;
  /** `packet 3 SYN`. */
  readonly title: string;
  /** What decided the hop on the way, each line opening with its step: `[15] …`. */
  readonly lines: readonly string[];
  /** The steps the hop covers: after the one at `from`, up to the one at `to`. */
  readonly steps: { readonly after: number; readonly upTo: number };
  /** Why this hop stands out (the first difference of a what-if), as a line of its own. */
  readonly mark?: string;
}

export interface PathGraph {
  readonly nodes: readonly PathNode[];
  readonly edges: readonly PathEdge[];
}

interface Place {
  readonly id: string;
  readonly label: string;
  readonly step: number;
}

const nodeId = (parts: readonly string[]) =>
  parts.join('_').replace(/[^A-Za-z0-9_]/g, (c) => `x${c.charCodeAt(0).toString(16)}`);

/** Where a step is, as a node of the drawing; undefined for steps between places. */
function placeOf(s: Step, sender: string | undefined): Place | undefined {
  const step = s.index;
  if (s.kind === 'emit') {
    const who = s.sender ?? sender ?? 'kernel';
    return { id: nodeId(['p', s.host, who]), label: `${s.host}: ${who}`, step };
  }
  if (s.kind === 'socket')
    return { id: nodeId(['p', s.host, s.process]), label: `${s.host}: ${s.process}`, step };
  if (s.kind === 'hook')
    return { id: nodeId(['h', s.host, s.hook]), label: `${s.host} ${s.hook}`, step };
  if (s.kind === 'fate')
    return {
      id: nodeId(['end', s.host, String(s.index)]),
      label: `${s.host}: ${s.fate}`,
      step,
    };
  return undefined;
}

/** The NAT a step made, in words: `dst 10.0.0.1:80 → 127.0.0.1:15001`. */
function changeText(s: Step): string | undefined {
  const nat = s.changes.filter((c) => c.field === 'src' || c.field === 'dst');
  if (nat.length === 0) return undefined;
  return nat.map((c) => `${c.field} ${c.before} → ${c.after}`).join(', ');
}

interface Hop {
  readonly from: Place;
  readonly to: Place;
  readonly lines: string[];
}

/** One packet's hops from place to place, and the chains that ran at each place. */
function hops(
  trace: Trace,
  packetId: number,
  rules: RuleLookup | undefined,
  chains: Map<string, Set<string>>,
): Hop[] {
  const info = trace.packets.find((p) => p.id === packetId);
  if (!info) return [];
  const out: Hop[] = [];
  let from: Place | undefined;
  let lines: string[] = [];
  for (const s of trace.steps.slice(info.firstStep, info.lastStep + 1)) {
    const place = placeOf(s, info.sender?.process);
    if (place && from) {
      out.push({ from, to: place, lines });
      lines = [];
    }
    if (place) from = place;
    if ((s.kind === 'rule' || s.kind === 'span' || s.kind === 'policy') && from) {
      const set = chains.get(from.id) ?? new Set<string>();
      set.add(`${s.table.name} ${s.chain}`);
      chains.set(from.id, set);
    }
    // A decisive step's words name its NAT already; a rule's own change (a MARK) does not.
    const nat = s.kind === 'rule' ? changeText(s) : undefined;
    if (decisive(s) && !place) lines.push(`[${s.index}] ${briefText(s, rules)}`);
    else if (nat) lines.push(`[${s.index}] ${nat}`);
  }
  return out;
}

/**
 * The graph of each connection's first packet and first reply, and of the `also` packets (the
 * one where a what-if's path first differs, when it is neither).
 */
export function pathGraph(
  trace: Trace,
  rules?: RuleLookup,
  also: Iterable<number> = [],
): PathGraph {
  const packets = [...new Set([...briefPackets(trace), ...also])].sort((a, b) => a - b);
  const chains = new Map<string, Set<string>>();
  const places = new Map<string, string>();
  const edges: PathEdge[] = [];
  for (const id of packets) {
    const p = trace.packets.find((x) => x.id === id);
    for (const h of hops(trace, id, rules, chains)) {
      for (const place of [h.from, h.to]) places.set(place.id, place.label);
      edges.push({
        from: h.from.id,
        to: h.to.id,
        title: `packet ${id}${p ? ` ${p.label}` : ''}`,
        lines: h.lines,
        steps: { after: h.from.step, upTo: h.to.step },
      });
    }
  }
  // A hook's chains belong on its node: the places a packet passed say where each ran.
  const nodes = [...places].map(([id, label]) => ({
    id,
    lines: [label, ...(chains.get(id) ?? [])],
  }));
  return { nodes, edges };
}

/** The graph with the hop that covers `step` marked with `text`; as it was if none does. */
export function markStep(graph: PathGraph, step: number, text: string): PathGraph {
  const at = graph.edges.findIndex((e) => e.steps.after < step && step <= e.steps.upTo);
  if (at < 0) return graph;
  const edges = graph.edges.map((e, i) => (i === at ? { ...e, mark: text } : e));
  return { ...graph, edges };
}
