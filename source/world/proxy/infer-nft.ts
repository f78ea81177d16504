/**
 * The proxy an nftables ruleset was written for (Istio's `--native-nftables` sidecar and ambient
 * in-pod tables): the same reading as infer.ts gives iptables, in nft's words. A `redirect to
 * :PORT` reached from a nat output chain captures the app's connections, one from a nat
 * prerouting chain (or a `tproxy to :PORT`) inbound ones; `skuid`/`skgid` on a `return` or
 * `accept` lets the proxy out; `mark and 0xfff != 0x539` on the way to a redirect spares the
 * proxy's marked sockets (ambient's ztunnel). Every value names the rule it came from.
 */
import type {
  NftChain,
  NftExpr,
  NftRule,
  NftRuleset,
  NftStatement,
  NftTable,
  SourcePos,
} from '../../model/index.js';
import { type Evidence, type Inferred, type Mutable, pickId } from './inferred.js';
import { PRESETS, type PresetName, type ProxyParams } from './presets.js';

/** A rule where a packet meets it: table, chain, position (1-based) and the jumps that lead to it. */
interface NftSite {
  readonly table: NftTable;
  readonly chain: string;
  readonly number: number;
  readonly rule: NftRule;
  readonly via: readonly NftRule[];
}

type Match = Extract<NftStatement, { kind: 'match' }>;

/** `FILE:LINE: inet istio-proxy-nat istio-output 3: skuid 1337 counter return`. */
function nftSiteText(site: NftSite): string {
  const o = site.rule.origin;
  const t = site.table;
  return `${o.file}:${o.line}: ${t.family} ${t.name} ${site.chain} ${site.number}: ${site.rule.text}`;
}

const evidence = (param: keyof ProxyParams, what: string, site: NftSite): Evidence => ({
  param,
  what,
  text: nftSiteText(site),
  origin: site.rule.origin,
});

function walk(
  table: NftTable,
  chain: NftChain,
  via: readonly NftRule[],
  seen: ReadonlySet<string>,
  out: NftSite[],
) {
  chain.rules.forEach((rule, i) => {
    out.push({ table, chain: chain.name, number: i + 1, rule, via });
    for (const s of rule.statements) {
      if (s.kind !== 'verdict' || (s.verdict.kind !== 'jump' && s.verdict.kind !== 'goto'))
        continue;
      const name = s.verdict.chain;
      const next = table.chains.find((c) => c.name === name);
      if (next && !seen.has(name)) walk(table, next, [...via, rule], new Set([...seen, name]), out);
    }
  });
}

/** Every rule reachable from the base chains on a hook of one chain type, in any ip/ip6/inet table. */
function reachable(nft: NftRuleset, type: 'nat' | 'filter', hook: 'OUTPUT' | 'PREROUTING') {
  const out: NftSite[] = [];
  for (const table of nft.tables) {
    if (table.family !== 'ip' && table.family !== 'ip6' && table.family !== 'inet') continue;
    for (const chain of table.chains)
      if (chain.base?.hook === hook && chain.base.type === type)
        walk(table, chain, [], new Set([chain.name]), out);
  }
  return out;
}

const pathOf = (site: NftSite) => [...site.via, site.rule];

const matches = (rules: readonly NftRule[]) =>
  rules.flatMap((rule) =>
    rule.statements.filter((s): s is Match => s.kind === 'match').map((m) => ({ m, rule })),
  );

/** `0x539`, `1337`, `:15001` → the number; anything else (a name, a set) → undefined. */
function number(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(0x[0-9a-f]+|\d+)$/i.exec(text.replace(/\/\d+$/, ''));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const rhsText = (m: Match) => (m.right.kind === 'value' ? m.right.value.text : undefined);

const isKey = (e: NftExpr, key: string) => e.kind === 'meta' && e.key === key;

const isPort = (e: NftExpr) =>
  e.kind === 'payload' && ['tcp', 'udp', 'th'].includes(e.protocol) && e.field === 'dport';

const isDns = (site: NftSite) =>
  matches(pathOf(site)).some(({ m }) => isPort(m.left) && m.op !== '!=' && rhsText(m) === '53');

/** A path that asks for the proxy's own connections (`skuid 1337 jump istio-in-redirect`). */
const ownedByProxy = (site: NftSite) =>
  matches(pathOf(site)).some(
    ({ m }) => (isKey(m.left, 'skuid') || isKey(m.left, 'skgid')) && m.op !== '!=',
  );

const ends = (rule: NftRule) =>
  rule.statements.some(
    (s) => s.kind === 'verdict' && (s.verdict.kind === 'return' || s.verdict.kind === 'accept'),
  );

interface Capture {
  readonly site: NftSite;
  readonly port: number;
  readonly mark?: number;
}

function redirects(nft: NftRuleset, hook: 'OUTPUT' | 'PREROUTING'): Capture[] {
  return reachable(nft, 'nat', hook).flatMap((site) =>
    site.rule.statements.flatMap((s) =>
      s.kind === 'nat' && s.type === 'redirect' && s.port !== undefined
        ? [{ site, port: s.port }]
        : [],
    ),
  );
}

/** `tproxy ip to :15006 meta mark set 1337`: the port, and the mark the same rule sets. */
function tproxies(nft: NftRuleset): Capture[] {
  return reachable(nft, 'filter', 'PREROUTING').flatMap((site) => {
    const tp = site.rule.statements.find((s) => s.kind === 'tproxy');
    if (tp?.kind !== 'tproxy') return [];
    const set = site.rule.statements.find((s) => s.kind === 'set' && isKey(s.target, 'mark'));
    const mark = set?.kind === 'set' && 'text' in set.value ? number(set.value.text) : undefined;
    return [{ site, port: tp.port, ...(mark === undefined ? {} : { mark }) }];
  });
}

/** Ports of positive `tcp dport` on the way to a rule: what it captures. */
function capturedPorts(site: NftSite): number[] {
  return matches(pathOf(site)).flatMap(({ m }) => {
    if (!isPort(m.left) || m.op === '!=') return [];
    const values =
      m.right.kind === 'anonymous' ? m.right.elements.map((e) => e.key[0]?.text) : [rhsText(m)];
    return values.map(number).filter((p): p is number => p !== undefined);
  });
}

/** An owner id the nat output path lets out: `skuid 1337 return`, `skuid != 1337 redirect`. */
function ownerIds(sites: readonly NftSite[], key: 'skuid' | 'skgid') {
  return sites.flatMap((site) => {
    const redirect = site.rule.statements.some((s) => s.kind === 'nat' && s.type === 'redirect');
    if (!ends(site.rule) && !redirect) return [];
    return matches([site.rule])
      .filter(({ m }) => isKey(m.left, key) && (m.op === '!=') === redirect)
      .flatMap(({ m }) => {
        const id = number(rhsText(m));
        return id === undefined ? [] : [{ id, site }];
      });
  });
}

/** `mark and 0xfff != 0x539` (or `meta mark != 0x539`) on the way to an outbound redirect. */
function sparedMark(outbound: readonly Capture[]) {
  for (const { site } of outbound)
    for (const { m, rule } of matches(pathOf(site))) {
      const masked = m.left.kind === 'binop' && m.left.op === 'and' ? m.left : undefined;
      const left = masked ? masked.left : m.left;
      if (m.op === '!=' && isKey(left, 'mark')) {
        const value = number(rhsText(m));
        const mask = masked && number(masked.right.text);
        const at = pathOf(site).indexOf(rule);
        const where = at === site.via.length ? site : { ...site, rule };
        if (value !== undefined) return { value, site: where, ...(mask !== undefined && { mask }) };
      }
    }
  return undefined;
}

const outboundOf = (nft: NftRuleset) =>
  redirects(nft, 'OUTPUT').filter((r) => !isDns(r.site) && !ownedByProxy(r.site));

/** What lets a connection out of nft's outbound capture, as misfits.ts compares with the proxy. */
export interface NftExemption {
  readonly kind: 'uid' | 'gid' | 'mark';
  /** As iptables would write it: `1337`, `0x539/0xfff`. */
  readonly value: string;
  readonly where: string;
  readonly origin: SourcePos;
}

/** The owner ids and the socket mark a host's nft tables let out of the outbound capture. */
export function nftExemptions(nft: NftRuleset): NftExemption[] {
  const sites = reachable(nft, 'nat', 'OUTPUT');
  const at = (site: NftSite) => ({ where: nftSiteText(site), origin: site.rule.origin });
  const ids = (key: 'skuid' | 'skgid', kind: 'uid' | 'gid') =>
    ownerIds(sites, key).map(({ id, site }) => ({ kind, value: String(id), ...at(site) }));
  const mark = sparedMark(outboundOf(nft));
  const hex = (n: number) => `0x${n.toString(16)}`;
  return [
    ...ids('skuid', 'uid'),
    ...ids('skgid', 'gid'),
    ...(mark
      ? [
          {
            kind: 'mark' as const,
            value: `${hex(mark.value)}${mark.mask === undefined ? '' : `/${hex(mark.mask)}`}`,
            ...at(mark.site),
          },
        ]
      : []),
  ];
}

/** The first rule that sends the app's connections to the proxy, in nft's words. */
export function nftOutboundCapture(nft: NftRuleset) {
  const first = outboundOf(nft)[0];
  return first && { where: nftSiteText(first.site), origin: first.site.rule.origin };
}

function presetOf(nft: NftRuleset, ambient: boolean, uid?: number) {
  const names = nft.tables.map((t) => t.name);
  // istio-cni writes istio-ambient-nat/-mangle/-raw in the pod; the sidecar istio-proxy-*.
  const inPod = names.find((n) => n.startsWith('istio-ambient'));
  if (inPod !== undefined)
    return { preset: 'istio-ambient' as PresetName, reason: `istio-cni's in-pod table ${inPod}` };
  const istio = names.find((n) => n.startsWith('istio-'));
  if (istio !== undefined && ambient)
    return {
      preset: 'istio-ambient' as PresetName,
      reason: `table ${istio}, and the proxy is let out by its mark alone`,
    };
  if (istio !== undefined) return { preset: 'istio' as PresetName, reason: `table ${istio}` };
  const byUid = Object.values(PRESETS).find((p) => uid !== undefined && p.params.uid === uid);
  return byUid ? { preset: byUid.name, reason: `uid ${uid}` } : undefined;
}

/** Reads the proxy's parameters from a host's nft tables. */
export function inferNftProxy(nft: NftRuleset): Inferred {
  const said: Evidence[] = [];
  const params: Mutable<ProxyParams> = {};
  const out = redirects(nft, 'OUTPUT');
  const pre = redirects(nft, 'PREROUTING');
  const tp = tproxies(nft);
  const outbound = outboundOf(nft);
  const outPorts = new Set(outbound.map((r) => r.port));
  const inbound = [...tp, ...pre].filter((r) => !isDns(r.site) && !outPorts.has(r.port));
  const ownInbound = out.filter((r) => ownedByProxy(r.site) && !outPorts.has(r.port));
  const firstOut = outbound[0];
  const firstIn = inbound[0] ?? ownInbound[0];
  if (firstOut) {
    params.outboundPort = firstOut.port;
    said.push(evidence('outboundPort', `outbound port ${firstOut.port}`, firstOut.site));
  }
  if (firstIn) {
    params.inboundPort = firstIn.port;
    said.push(evidence('inboundPort', `inbound port ${firstIn.port}`, firstIn.site));
  }
  const tproxy = tp.find((t) => t.port === firstIn?.port && t.mark !== undefined);
  if (tproxy?.mark !== undefined) {
    params.tproxyMark = tproxy.mark;
    said.push(evidence('tproxyMark', `TPROXY mark ${tproxy.mark}`, tproxy.site));
  }
  const dns = out.find((r) => isDns(r.site)) ?? pre.find((r) => isDns(r.site));
  if (dns) {
    params.dnsPort = dns.port;
    said.push(evidence('dnsPort', `DNS proxy port ${dns.port}`, dns.site));
  }
  const resolver = dns
    ? matches(pathOf(dns.site)).find(
        ({ m }) => m.left.kind === 'payload' && m.left.field === 'daddr' && m.op !== '!=',
      )
    : undefined;
  const dnsAddress = resolver && rhsText(resolver.m)?.replace(/\/\d+$/, '');
  const mark = sparedMark(outbound);
  const outputSites = reachable(nft, 'nat', 'OUTPUT');
  const uids = ownerIds(outputSites, 'skuid');
  const gids = ownerIds(outputSites, 'skgid');
  const ambient = mark !== undefined && uids.length === 0 && gids.length === 0;
  const known = presetOf(nft, ambient, uids[uids.length - 1]?.id);
  const preset = known ? PRESETS[known.preset].params : undefined;
  const uid = pickId(uids, preset?.uid);
  if (uid) {
    params.uid = uid.id;
    said.push(evidence('uid', `uid ${uid.id}`, uid.site));
  }
  const gid = pickId(gids, preset?.gid ?? uid?.id);
  if (gid) {
    params.gid = gid.id;
    said.push(evidence('gid', `gid ${gid.id}`, gid.site));
  } else if (uid) {
    params.gid = uid.id;
    said.push(evidence('gid', `gid ${uid.id} (the uid's, no rule names a gid)`, uid.site));
  }
  if (mark) {
    params.mark = mark.value;
    said.push(evidence('mark', `socket mark 0x${mark.value.toString(16)}`, mark.site));
  }
  const bind = outputSites.find((s) => {
    if (!ends(s.rule)) return false;
    return matches([s.rule]).some(
      ({ m }) =>
        m.left.kind === 'payload' &&
        m.left.field === 'saddr' &&
        m.op !== '!=' &&
        /^127\.[\d.]+(\/32)?$/.test(rhsText(m) ?? ''),
    );
  });
  const bindAddress = bind
    ? matches([bind.rule])
        .map(({ m }) => rhsText(m))
        .find((v) => v?.startsWith('127.'))
        ?.replace(/\/32$/, '')
    : undefined;
  if (bind && bindAddress) {
    params.inboundBind = bindAddress;
    said.push(evidence('inboundBind', `inbound source ${bindAddress}`, bind));
  }
  return {
    ...(known ? { preset: known.preset, presetReason: known.reason } : {}),
    params,
    evidence: said,
    ...(dnsAddress === undefined ? {} : { dnsAddress }),
    inboundPorts: [...new Set(inbound.flatMap((r) => capturedPorts(r.site)))],
    capturesInbound: inbound.length > 0,
    capturesOutbound: outbound.length > 0,
  };
}
