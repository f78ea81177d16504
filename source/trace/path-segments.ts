/**
 * A packet's path as the kernel's trace shows it: the rules that matched and the policies met,
 * `nat PREROUTING 1 jump ISTIO_INBOUND`, cut where the kernel starts a new trace id (a packet
 * entering a host, or looped back over lo). Both nfdb's trace and `nft monitor trace` are read
 * into these segments, so that a real path and a simulated one can be set side by side.
 */
import type { RuleVerdict, Step, Trace } from '../model/index.js';
import type { KernelPacketPath } from './kernel-trace.js';
import { verdictLabel } from './words/index.js';

export interface Segment {
  readonly host: string;
  /** `tcp 10.0.0.1 > 10.0.0.2:9080 SYN`: the packet as it entered. */
  readonly key: string;
  readonly steps: string[];
}

export const endpointKey = (proto: string, src: string, dst: string, dport: number, syn: boolean) =>
  `${proto} ${src} > ${dst}:${dport}${syn ? ' SYN' : ''}`;

/**
 * Which words a segment's verdicts are in: iptables' (`REDIRECT`, `MARK`) or nft's own, as
 * `nft monitor trace` prints them for native tables (`accept`, `continue`; a reject is `drop`).
 */
export type VerdictWords = 'iptables' | 'nft';

/** A rule's verdict as nft's trace says it: what the chain walk does next. */
export function nftVerdictWord(v: RuleVerdict): string {
  if (v.kind === 'jump' || v.kind === 'goto') return `${v.kind} ${v.chain}`;
  if (v.kind !== 'target') return v.kind;
  if (!v.simulated) return 'continue';
  return v.effect.verdict.toLowerCase();
}

/** nfdb's packet `packetId`, cut where the kernel starts a new trace id. */
export function simulatedSegments(
  trace: Trace,
  packetId: number,
  keepEmpty = false,
  words: VerdictWords = 'iptables',
): Segment[] {
  const out: Segment[] = [];
  let current: Segment | undefined;
  let pendingWire: Step | undefined;
  const start = (host: string, s: Step) => {
    const p = s.packet;
    current = {
      host,
      key: endpointKey(
        p.protocol,
        p.src,
        p.dst,
        p.dport,
        p.tcpFlags?.syn === true && !p.tcpFlags.ack,
      ),
      steps: [],
    };
    out.push(current);
  };
  for (const s of trace.steps) {
    if (s.packetId !== packetId) continue;
    if (s.kind === 'emit') start(s.host, s);
    else if (s.kind === 'wire') pendingWire = s;
    else if (pendingWire) {
      start(s.host, pendingWire);
      pendingWire = undefined;
    }
    if (s.kind === 'policy') {
      const policy = words === 'nft' ? s.policy.toLowerCase() : s.policy;
      current?.steps.push(`${s.table.name} ${s.chain} policy ${policy}`);
    }
    if (s.kind === 'rule' && s.verdict) {
      const v = s.verdict;
      const verdict =
        words === 'nft' ? nftVerdictWord(v) : v.kind === 'continue' ? 'continue' : verdictLabel(v);
      current?.steps.push(`${s.table.name} ${s.chain} ${s.ruleIndex + 1} ${verdict}`);
    }
  }
  return keepEmpty ? out : out.filter((seg) => seg.steps.length > 0);
}

/** A path `nft monitor trace` showed, as a segment. */
export function realSegment(
  path: KernelPacketPath,
  words: VerdictWords = 'iptables',
): Segment | undefined {
  const m = /^(tcp|udp) ([^ ]+):(\d+) > ([^ ]+):(\d+)(?: (\S+))?/.exec(path.tuple);
  if (!m) return undefined;
  const [, proto = '', rawSrc = '', , rawDst = '', dport = '0', flags] = m;
  // The kernel side writes IPv6 endpoints as [addr]:port.
  const unbracket = (a: string) => a.replace(/^\[(.*)\]$/, '$1');
  return {
    host: path.host,
    key: endpointKey(proto, unbracket(rawSrc), unbracket(rawDst), Number(dport), flags === 'SYN'),
    steps: path.steps.map(
      (s) => `${s.table} ${s.chain} ${s.rule} ${words === 'nft' ? s.nftVerdict : s.verdict}`,
    ),
  };
}
