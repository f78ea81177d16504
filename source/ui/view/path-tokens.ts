import type { PacketInfo, Trace } from '../../model/index.js';
import { placeOf as stepPlace } from '../../trace/words/index.js';
import { stepVerdictLabel } from '../step-text.js';
import { packetOf } from './packet-of.js';

export interface PathToken {
  readonly text: string;
  /** Where the cursor is now. */
  readonly lit: boolean;
}

type Span = { text: string; from: number; to: number };

/** Per trace and packet: a packet's path does not depend on the cursor, only what is lit. */
const pathCache = new WeakMap<Trace, Map<number, Span[]>>();

function placeOf(trace: Trace, i: number): string | undefined {
  const s = trace.steps[i];
  if (!s) return undefined;
  if (s.kind === 'hook') return s.hook;
  if (s.kind === 'routing') return 'routing';
  if (s.kind === 'wire' || s.kind === 'socket') return stepPlace(s);
  if (s.kind === 'fate' || s.kind === 'stop') return stepVerdictLabel(s) ?? s.kind;
  return undefined;
}

function spans(trace: Trace, info: PacketInfo): Span[] {
  let perTrace = pathCache.get(trace);
  if (!perTrace) {
    perTrace = new Map();
    pathCache.set(trace, perTrace);
  }
  const hit = perTrace.get(info.id);
  if (hit) return hit;
  const tokens: Span[] = [];
  let host = '';
  for (let i = info.firstStep; i <= info.lastStep; i++) {
    const s = trace.steps[i];
    if (!s) continue;
    if (s.host !== host) {
      host = s.host;
      tokens.push({ text: host, from: i, to: i });
    }
    const text = placeOf(trace, i);
    const last = tokens[tokens.length - 1];
    if (text && last?.text !== text) tokens.push({ text, from: i, to: i });
    else if (last) last.to = i;
  }
  perTrace.set(info.id, tokens);
  return tokens;
}

/** The packet's way so far and to come, as the picture people draw: host ▸ hook ▸ ... ▸ socket. */
export function pathTokens(trace: Trace, cursor: number): PathToken[] {
  const info = packetOf(trace, trace.steps[cursor]);
  if (!info) return [];
  return spans(trace, info).map((t) => ({
    text: t.text,
    lit: cursor >= t.from && cursor <= t.to,
  }));
}
