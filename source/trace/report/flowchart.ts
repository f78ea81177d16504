/**
 * The path as a Mermaid flowchart, which GitHub and GitLab draw from the text alone: a node for
 * each process a packet leaves or reaches and each hook of a host it crosses (with the chains it
 * ran there), an arrow for each hop of each connection's first packet and first reply, labelled
 * with the step numbers of `nfdb run` and the decisive rules and NAT changes on the way.
 */
import type { Step, Trace } from '../../model/index.js';
import type { RuleLookup } from '../rule-lookup.js';
import { briefPackets, briefText, decisive } from '../walkthrough.js';

interface Place {
  readonly id: string;
  readonly label: string;
}

/** Mermaid reads quotes, angle brackets and pipes inside labels as syntax: entity codes instead. */
export function mermaidText(text: string): string {
  return text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}

const nodeId = (parts: readonly string[]) =>
  parts.join('_').replace(/[^A-Za-z0-9_]/g, (c) => `x${c.charCodeAt(0).toString(16)}`);

/** Where a step is, as a node of the drawing; undefined for steps between places. */
function placeOf(s: Step, sender: string | undefined): Place | undefined {
  if (s.kind === 'emit') {
    const who = s.sender ?? sender ?? 'kernel';
    return { id: nodeId(['p', s.host, who]), label: `${s.host}: ${who}` };
  }
  if (s.kind === 'socket')
    return { id: nodeId(['p', s.host, s.process]), label: `${s.host}: ${s.process}` };
  if (s.kind === 'hook') return { id: nodeId(['h', s.host, s.hook]), label: `${s.host} ${s.hook}` };
  if (s.kind === 'fate')
    return { id: nodeId(['end', s.host, String(s.index)]), label: `${s.host}: ${s.fate}` };
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

/** One packet's hops from place to place, each with what decided it on the way. */
function hops(trace: Trace, packetId: number, rules: RuleLookup | undefined): Hop[] {
  const info = trace.packets.find((p) => p.id === packetId);
  if (!info) return [];
  const out: Hop[] = [];
  let from: Place | undefined;
  let lines: string[] = [];
  const chains = new Map<string, Set<string>>();
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
  // A hook's chains belong on its node: the places a packet passed say where each ran.
  return out.map((h) => ({
    ...h,
    from: withChains(h.from, chains),
    to: withChains(h.to, chains),
  }));
}

function withChains(place: Place, chains: ReadonlyMap<string, ReadonlySet<string>>): Place {
  const ran = chains.get(place.id);
  return ran ? { ...place, label: `${place.label}\n${[...ran].join('\n')}` } : place;
}

/** The flowchart's text, from `flowchart TD` to its last arrow. */
export function flowchart(trace: Trace, rules?: RuleLookup): string[] {
  const nodes = new Map<string, Set<string>>();
  const edges: string[] = [];
  for (const id of briefPackets(trace)) {
    const p = trace.packets.find((x) => x.id === id);
    for (const h of hops(trace, id, rules)) {
      for (const place of [h.from, h.to]) {
        const lines = nodes.get(place.id) ?? new Set<string>();
        for (const l of place.label.split('\n')) lines.add(l);
        nodes.set(place.id, lines);
      }
      const label = [`packet ${id}${p ? ` ${p.label}` : ''}`, ...h.lines].join('<br/>');
      edges.push(`  ${h.from.id} -->|"${mermaidLabel(label)}"| ${h.to.id}`);
    }
  }
  const declared = [...nodes].map(
    ([id, lines]) => `  ${id}["${[...lines].map(mermaidText).join('<br/>')}"]`,
  );
  return ['flowchart TD', ...declared, ...edges];
}

/** A label already joined with `<br/>`: its parts escaped, the breaks kept. */
function mermaidLabel(label: string): string {
  return label.split('<br/>').map(mermaidText).join('<br/>');
}
