/**
 * Reading `nft -a monitor trace` output into per-packet rule paths.
 *
 * On this kernel (6.x, nft 1.0.6) the lines look like:
 *
 *   trace id 8915d3a4 inet nfdbtrace pre packet: iif "eth0" ether saddr … ip saddr 10.0.0.1 ip daddr 10.0.0.2 … tcp sport 49518 tcp dport 9080 tcp flags == syn tcp window 64240
 *   trace id 8915d3a4 inet nfdbtrace pre rule meta nftrace set 1 # handle 3 (verdict continue)
 *   trace id 8915d3a4 inet nfdbtrace pre policy accept
 *   trace id 8915d3a4 ip nat PREROUTING packet: iif "eth0" … tcp dport 9080 …
 *   trace id 8915d3a4 ip nat PREROUTING rule meta l4proto tcp counter packets 0 bytes 0 jump ISTIO_INBOUND # handle 9 (verdict jump ISTIO_INBOUND)
 *   trace id 8915d3a4 ip nat ISTIO_IN_REDIRECT rule meta l4proto tcp counter packets 0 bytes 0 redirect to :15006 # handle 16 (verdict accept)
 *   trace id 8915d3a4 ip nat INPUT policy accept
 *
 * Only rules that matched are reported; a user chain that is fallen off leaves no line. A packet
 * looped back over lo gets a new trace id when it re-enters at prerouting.
 */
import type { Hook } from '../model/index.js';

export interface KernelStep {
  /** The netfilter hook the packet was at (from the base chain it entered last). */
  readonly hook: Hook | string;
  readonly table: string;
  readonly chain: string;
  /** 1-based iptables rule number in the chain, or 'policy' for a built-in chain's policy. */
  readonly rule: number | 'policy';
  /**
   * In iptables words: ACCEPT, DROP, RETURN, `jump CHAIN`, `goto CHAIN`, or the target module's
   * name for a target that is not a plain verdict (REDIRECT, MARK, DNAT, TPROXY, LOG…).
   */
  readonly verdict: string;
  /** The verdict as nft printed it: accept, drop, continue, return, jump X, goto X. */
  readonly nftVerdict: string;
}

export interface KernelPacketPath {
  readonly host: string;
  readonly family: 'ipv4' | 'ipv6';
  /** The nft trace id; `<id>.2`, `<id>.3` when the kernel reused an id for a later packet. */
  readonly packetId: string;
  /** `tcp 10.0.0.1:40000 > 10.0.0.2:9080 SYN`, as the packet entered the host's first hook. */
  readonly tuple: string;
  readonly steps: readonly KernelStep[];
}

/** A rule's place in the kernel, found from its nft handle. */
export interface RuleAt {
  readonly number: number;
  /** The iptables `-j`/`-g` target: `REDIRECT`, `ACCEPT`, `jump ISTIO_INBOUND`, `goto X`, or '' (none). */
  readonly target: string;
}

/** Key: `ip nat PREROUTING 9` (nft family, table, chain, handle). */
export type HandleMap = ReadonlyMap<string, RuleAt>;

export const TRACE_TABLE = 'nfdbtrace';

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
const TRACE_HOOK: Record<string, Hook> = { pre: 'PREROUTING', out: 'OUTPUT' };

/**
 * Reads `nft -a list ruleset` into handle → rule number (1-based position in its chain), with the
 * rule's iptables target taken from `targets` (key `ip nat PREROUTING`, see targetsFromSave).
 */
export function handlesFromListing(
  listing: string,
  targets: ReadonlyMap<string, readonly string[]>,
): Map<string, RuleAt> {
  const out = new Map<string, RuleAt>();
  let prefix = '';
  let chain = '';
  let position = 0;
  for (const raw of listing.split('\n')) {
    const line = raw.trim();
    const t = /^table (\S+) (\S+) \{/.exec(line);
    if (t?.[1] && t[2]) {
      prefix = `${t[1]} ${t[2]}`;
      chain = '';
      continue;
    }
    const c = /^chain (\S+) \{/.exec(line);
    if (c?.[1]) {
      chain = c[1];
      position = 0;
      continue;
    }
    const h = /# handle (\d+)$/.exec(line);
    if (!h?.[1] || !chain || !prefix) continue;
    position++;
    const target = targets.get(`${prefix} ${chain}`)?.[position - 1] ?? '';
    out.set(`${prefix} ${chain} ${h[1]}`, { number: position, target });
  }
  return out;
}

/**
 * Reads `iptables-save` (no counters) into `<nftFamily> <table> <chain>` → each rule's target, in
 * order: `REDIRECT`, `ACCEPT`, `jump ISTIO_INBOUND`, `goto X`, or '' for a rule without one.
 */
export function targetsFromSave(save: string, nftFamily: 'ip' | 'ip6'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const chains = new Set<string>();
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) {
      table = line.slice(1).trim();
      chains.clear();
      continue;
    }
    const declared = /^:(\S+) /.exec(line);
    if (declared?.[1]) {
      chains.add(declared[1]);
      continue;
    }
    const m = /^(?:\[\d+:\d+\] )?-A (\S+)(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const rest = (m[2] ?? '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const j = /\s-([jg])\s+(\S+)/.exec(rest);
    let target = '';
    if (j?.[1] && j[2]) {
      const word = j[2];
      if (j[1] === 'g') target = `goto ${word}`;
      else if (chains.has(word)) target = `jump ${word}`;
      else target = word;
    }
    const key = `${nftFamily} ${table} ${m[1]}`;
    const list = out.get(key) ?? [];
    list.push(target);
    out.set(key, list);
  }
  return out;
}

/** Flag names in the order Wireshark prints them: SYN,ACK  FIN,ACK  PSH,ACK. */
const TCP_FLAGS: readonly [number, string][] = [
  [0x02, 'SYN'],
  [0x01, 'FIN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
];

function tcpFlags(text: string): string {
  const m = /tcp flags == (\S+(?: \| \S+)*)/.exec(text);
  if (!m?.[1]) return '';
  let bits = 0;
  for (const part of m[1].split(' | ')) {
    if (/^0x[0-9a-f]+$/i.test(part)) bits |= Number.parseInt(part, 16);
    else {
      const f = TCP_FLAGS.find(([, name]) => name.toLowerCase() === part);
      if (f) bits |= f[0];
    }
  }
  return TCP_FLAGS.filter(([bit]) => bits & bit)
    .map(([, name]) => name)
    .join(',');
}

/** `tcp 10.0.0.1:40000 > 10.0.0.2:9080 SYN` from a trace `packet:` line. */
export function tupleOf(packet: string): { tuple: string; family: 'ipv4' | 'ipv6' } {
  const v6 = / ip6 saddr /.test(` ${packet}`);
  const family = v6 ? 'ipv6' : 'ipv4';
  const p = v6 ? 'ip6' : 'ip';
  const src = new RegExp(`${p} saddr (\\S+)`).exec(packet)?.[1] ?? '?';
  const dst = new RegExp(`${p} daddr (\\S+)`).exec(packet)?.[1] ?? '?';
  const hp = (a: string, port: string | undefined) =>
    port === undefined ? a : v6 ? `[${a}]:${port}` : `${a}:${port}`;
  for (const proto of ['tcp', 'udp']) {
    const sport = new RegExp(`${proto} sport (\\d+)`).exec(packet)?.[1];
    const dport = new RegExp(`${proto} dport (\\d+)`).exec(packet)?.[1];
    if (sport !== undefined || dport !== undefined) {
      const flags = proto === 'tcp' ? tcpFlags(packet) : '';
      return {
        family,
        tuple: `${proto} ${hp(src, sport)} > ${hp(dst, dport)}${flags ? ` ${flags}` : ''}`,
      };
    }
  }
  const icmp = /(icmpv6|icmp) type (\S+)/.exec(packet);
  if (icmp) return { family, tuple: `${icmp[1]} ${src} > ${dst} ${icmp[2]}` };
  return { family, tuple: `? ${src} > ${dst}` };
}

const HEAD = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (.*)$/;
/** `rule <nft text> # handle 9 (verdict jump X)`; when the monitor started before the rule was
 * added, nft prints `unknown rule handle 9 (verdict jump X)` instead: both carry the handle. */
const RULE = /^(?:rule .*? # handle (\d+)|unknown rule handle (\d+)|rule .*?) \(verdict ([^)]*)\)$/;
const POLICY = /^policy (\S+)/;

function iptablesVerdict(nft: string): string {
  const [word, chain] = nft.split(' ');
  if (word === 'jump' || word === 'goto') return `${word} ${chain}`;
  if (word === 'continue' || word === undefined) return nft;
  return word.toUpperCase();
}

interface Building {
  host: string;
  family: 'ipv4' | 'ipv6';
  packetId: string;
  tuple: string;
  hook: string;
  steps: KernelStep[];
}

/**
 * Groups trace lines by trace id into packet paths, leaving out the tracing table (`traceTable`). `skipIds`
 * are ids to drop (the harness's own readiness probe).
 */
export function parseTrace(
  host: string,
  text: string,
  handles: HandleMap,
  skipIds: ReadonlySet<string> = new Set(),
  traceTable: string = TRACE_TABLE,
): KernelPacketPath[] {
  const paths: Building[] = [];
  const current = new Map<string, Building>();
  const seen = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = HEAD.exec(line.trimEnd());
    if (!m) continue;
    const [, id = '', family = '', table = '', chain = '', rest = ''] = m;
    if (skipIds.has(id)) continue;
    const packet = rest.startsWith('packet: ') ? rest.slice('packet: '.length) : undefined;
    let path = current.get(id);
    if (packet !== undefined && (table === traceTable || !path)) {
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const t = tupleOf(packet);
      path = {
        host,
        family: t.family,
        packetId: n === 1 ? id : `${id}.${n}`,
        tuple: t.tuple,
        hook: TRACE_HOOK[chain] ?? (HOOKS.has(chain) ? chain : '?'),
        steps: [],
      };
      current.set(id, path);
      paths.push(path);
      continue;
    }
    if (!path) continue;
    if (packet !== undefined) {
      if (HOOKS.has(chain)) path.hook = chain;
      continue;
    }
    if (table === traceTable) continue;
    const rule = RULE.exec(rest);
    if (rule) {
      const handle = rule[1] ?? rule[2];
      const nftVerdict = rule[3] ?? '';
      const at = handle ? handles.get(`${family} ${table} ${chain} ${handle}`) : undefined;
      let verdict = iptablesVerdict(nftVerdict);
      if (at?.target && ['continue', 'accept', 'drop'].includes(nftVerdict)) verdict = at.target;
      path.steps.push({
        hook: path.hook,
        table,
        chain,
        rule: at?.number ?? -1,
        verdict,
        nftVerdict,
      });
      continue;
    }
    const policy = POLICY.exec(rest)?.[1];
    if (policy !== undefined) {
      path.steps.push({
        hook: path.hook,
        table,
        chain,
        rule: 'policy',
        verdict: policy.toUpperCase(),
        nftVerdict: policy,
      });
    }
  }
  return paths.map(({ hook: _hook, ...p }) => p);
}
