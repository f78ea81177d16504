/**
 * Which proxy a ruleset was written for, read from the rules themselves: the ports its REDIRECT
 * and TPROXY rules send connections to, the uid, gid or mark its nat OUTPUT chain lets out
 * unredirected, and the chain names each mesh's init container writes. Every value inferred
 * comes with the rule it came from, so nfdb can say why it modelled the proxy so.
 */
import type { NftRuleset, Ruleset } from '../../model/index.js';
import { inferNftProxy } from './infer-nft.js';
import { defined, type Evidence, type Inferred, type Mutable, pickId } from './inferred.js';
import { PRESETS, type PresetName, type ProxyParams } from './presets.js';

export type { Evidence, Inferred } from './inferred.js';

import {
  exits,
  optionsOf,
  pathOf,
  type RuleSite,
  reachable,
  siteText,
  targetOption,
} from './rule-paths.js';

const cite = (param: keyof ProxyParams, what: string, site: RuleSite): Evidence => ({
  param,
  what,
  text: siteText(site),
  origin: site.rule.origin,
});

const CHAIN_PREFIXES: readonly (readonly [string, PresetName])[] = [
  ['ISTIO_', 'istio'],
  ['KUMA_', 'kuma'],
  ['PROXY_INIT_', 'linkerd'],
  ['CONSUL_', 'consul'],
];

/** `15001`, `15001-15002` → 15001; anything else (a name, nothing) → undefined. */
export function firstNumber(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(0x[0-9a-f]+|\d+)/i.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const isDns = (site: RuleSite) =>
  pathOf(site).some((r) =>
    r.matches.some((m) => m.options.some((o) => o.name === 'dport' && o.values[0] === '53')),
  );

/** A path that asks for the proxy's own connections (`--uid-owner 1337 -j ISTIO_IN_REDIRECT`). */
const ownedByProxy = (site: RuleSite) =>
  optionsOf(pathOf(site), 'owner', 'uid-owner')
    .concat(optionsOf(pathOf(site), 'owner', 'gid-owner'))
    .some(({ o }) => !o.negated);

interface Redirect {
  readonly site: RuleSite;
  readonly port: number;
}

function redirects(ruleset: Ruleset, chain: 'PREROUTING' | 'OUTPUT'): Redirect[] {
  return reachable(ruleset, 'nat', chain).flatMap((site) => {
    const port = firstNumber(targetOption(site.rule, 'REDIRECT', 'to-ports'));
    return port === undefined ? [] : [{ site, port }];
  });
}

function tproxies(ruleset: Ruleset) {
  return reachable(ruleset, 'mangle', 'PREROUTING').flatMap((site) => {
    const port = firstNumber(targetOption(site.rule, 'TPROXY', 'on-port'));
    const mark = firstNumber(targetOption(site.rule, 'TPROXY', 'tproxy-mark'));
    return port === undefined ? [] : [{ site, port, mark }];
  });
}

/** Ports of positive `--dport`/`--dports` on the way to a rule: what it captures. */
function capturedPorts(site: RuleSite): number[] {
  const path = pathOf(site);
  return [
    ...optionsOf(path, 'tcp', 'dport'),
    ...optionsOf(path, 'multiport', 'dports'),
    ...optionsOf(path, 'multiport', 'destination-ports'),
  ]
    .filter(({ o }) => !o.negated)
    .flatMap(({ o }) => o.values.flatMap((v) => v.split(',')))
    .map((v) => firstNumber(v))
    .filter((p): p is number => p !== undefined);
}

/** An owner id the nat OUTPUT path lets out: `--uid-owner N -j RETURN`, `! --uid-owner N -j REDIRECT`. */
function ownerIds(sites: readonly RuleSite[], option: 'uid-owner' | 'gid-owner') {
  return sites.flatMap((site) => {
    const isRedirect = targetOption(site.rule, 'REDIRECT', 'to-ports') !== undefined;
    if (!exits(site.rule) && !isRedirect) return [];
    return optionsOf([site.rule], 'owner', option)
      .filter(({ o }) => o.negated === isRedirect)
      .flatMap(({ o }) => {
        const id = /^\d+$/.test(o.values[0] ?? '') ? Number(o.values[0]) : undefined;
        return id === undefined ? [] : [{ id, site }];
      });
  });
}

/**
 * istio-cni's in-pod chain, and per prefix of CHAIN_PREFIXES the first chain named with it, in
 * one pass over the names without a list of them: a 40,000-service node has 200,000 chains.
 */
function namedChains(rulesets: readonly Ruleset[]): {
  inPod: string | undefined;
  byPrefix: (string | undefined)[];
} {
  let inPod: string | undefined;
  const byPrefix: (string | undefined)[] = CHAIN_PREFIXES.map(() => undefined);
  for (const r of rulesets)
    for (const t of r.tables)
      for (const { name } of t.chains) {
        // istio-cni's in-pod chains for ambient; the sidecar's are ISTIO_INBOUND, ISTIO_OUTPUT...
        if (inPod === undefined && (name === 'ISTIO_PRERT' || name === 'ISTIO_POSTRT'))
          inPod = name;
        for (let k = 0; k < CHAIN_PREFIXES.length; k++)
          if (
            byPrefix[k] === undefined &&
            name.startsWith((CHAIN_PREFIXES[k] as readonly [string, PresetName])[0])
          )
            byPrefix[k] = name;
      }
  return { inPod, byPrefix };
}

function presetOf(rulesets: readonly Ruleset[], uid: number | undefined, ambient: boolean) {
  const { inPod, byPrefix } = namedChains(rulesets);
  if (inPod !== undefined && (ambient || uid === undefined))
    return { preset: 'istio-ambient' as const, reason: `istio-cni's in-pod chain ${inPod}` };
  for (const [k, [, preset]] of CHAIN_PREFIXES.entries()) {
    const chain = byPrefix[k];
    if (chain === undefined) continue;
    if (preset === 'istio' && ambient)
      return {
        preset: 'istio-ambient' as const,
        reason: `chain ${chain}, and the proxy is let out by its mark alone`,
      };
    return { preset, reason: `chain ${chain}` };
  }
  const byUid = Object.values(PRESETS).find((p) => uid !== undefined && p.params.uid === uid);
  return byUid ? { preset: byUid.name, reason: `uid ${uid}` } : undefined;
}

/**
 * Reads the proxy's parameters from a host's rules: its iptables rulesets (IPv4 first: the IPv6
 * rules name the same proxy) and its nft tables. Where both speak, iptables' word comes first and
 * the nft tables fill in what it leaves unsaid.
 */
export function inferProxy(rulesets: readonly Ruleset[], nft?: NftRuleset): Inferred {
  const fromIptables = inferIptablesProxy(rulesets);
  if (!nft || nft.tables.length === 0) return fromIptables;
  const fromNft = inferNftProxy(nft);
  const known = fromIptables.preset === undefined ? fromNft : fromIptables;
  return {
    ...(known.preset === undefined ? {} : { preset: known.preset }),
    ...(known.presetReason === undefined ? {} : { presetReason: known.presetReason }),
    params: { ...fromNft.params, ...defined(fromIptables.params) },
    evidence: [
      ...fromIptables.evidence,
      ...fromNft.evidence.filter((e) => fromIptables.params[e.param] === undefined),
    ],
    ...((fromIptables.dnsAddress ?? fromNft.dnsAddress)
      ? { dnsAddress: fromIptables.dnsAddress ?? fromNft.dnsAddress }
      : {}),
    inboundPorts: [...new Set([...fromIptables.inboundPorts, ...fromNft.inboundPorts])],
    capturesInbound: fromIptables.capturesInbound || fromNft.capturesInbound,
    capturesOutbound: fromIptables.capturesOutbound || fromNft.capturesOutbound,
  };
}

function inferIptablesProxy(rulesets: readonly Ruleset[]): Inferred {
  const evidence: Evidence[] = [];
  const params: Mutable<ProxyParams> = {};
  const out = rulesets.flatMap((r) => redirects(r, 'OUTPUT'));
  const pre = rulesets.flatMap((r) => redirects(r, 'PREROUTING'));
  const tp = rulesets.flatMap(tproxies);
  const outbound = out.filter((r) => !isDns(r.site) && !ownedByProxy(r.site));
  const outPorts = new Set(outbound.map((r) => r.port));
  const inboundAll = [...tp, ...pre].filter((r) => !isDns(r.site));
  const inbound = inboundAll.filter((r) => !outPorts.has(r.port));
  // The proxy's own connections to the pod's address go to its inbound port too (istio's
  // `--uid-owner 1337 -j ISTIO_IN_REDIRECT`), even where nothing inbound is captured.
  const ownInbound = out.filter((r) => ownedByProxy(r.site) && !outPorts.has(r.port));
  const firstOut = outbound[0];
  const firstIn = inbound[0] ?? ownInbound[0];
  if (firstOut) {
    params.outboundPort = firstOut.port;
    evidence.push(cite('outboundPort', `outbound port ${firstOut.port}`, firstOut.site));
  }
  if (firstIn) {
    params.inboundPort = firstIn.port;
    evidence.push(cite('inboundPort', `inbound port ${firstIn.port}`, firstIn.site));
  }
  const tproxy = tp.find((t) => t.port === firstIn?.port && t.mark !== undefined);
  if (tproxy?.mark !== undefined) {
    params.tproxyMark = tproxy.mark;
    evidence.push(cite('tproxyMark', `TPROXY mark ${tproxy.mark}`, tproxy.site));
  }
  const dns = out.find((r) => isDns(r.site)) ?? pre.find((r) => isDns(r.site));
  if (dns) {
    params.dnsPort = dns.port;
    evidence.push(cite('dnsPort', `DNS proxy port ${dns.port}`, dns.site));
  }
  // The resolver the rules capture DNS to, when they name one (istio's 127.0.0.53).
  const resolver = dns && pathOf(dns.site).find((r) => r.destination?.negated === false);
  const dnsAddress = resolver?.destination?.value.address;
  const mark = outbound
    .flatMap((r) => optionsOf(pathOf(r.site), 'mark', 'mark').filter(({ o }) => o.negated))
    .map(({ o, rule }) => ({ value: firstNumber(o.values[0]), rule }))[0];
  const outputSites = rulesets.flatMap((r) => reachable(r, 'nat', 'OUTPUT'));
  const uids = ownerIds(outputSites, 'uid-owner');
  const gids = ownerIds(outputSites, 'gid-owner');
  const ambient = mark?.value !== undefined && uids.length === 0 && gids.length === 0;
  const known = presetOf(rulesets, uids[uids.length - 1]?.id, ambient);
  const preset = known ? PRESETS[known.preset].params : undefined;
  const uid = pickId(uids, preset?.uid);
  if (uid) {
    params.uid = uid.id;
    evidence.push(cite('uid', `uid ${uid.id}`, uid.site));
  }
  const gid = pickId(gids, preset?.gid ?? uid?.id);
  if (gid) {
    params.gid = gid.id;
    evidence.push(cite('gid', `gid ${gid.id}`, gid.site));
  } else if (uid) {
    // A proxy user's primary group is its own: nothing in the rules says otherwise.
    params.gid = uid.id;
    evidence.push(cite('gid', `gid ${uid.id} (the uid's, no rule names a gid)`, uid.site));
  }
  if (mark?.value !== undefined) {
    params.mark = mark.value;
    const site = outputSites.find((s) => s.rule === mark.rule) ?? outbound[0]?.site;
    if (site) evidence.push(cite('mark', `socket mark 0x${mark.value.toString(16)}`, site));
  }
  const bind = outputSites.find(
    (s) => exits(s.rule) && s.rule.source?.negated === false && s.rule.source.value.prefix >= 32,
  );
  const bindAddress = bind?.rule.source?.value.address;
  if (bind && bindAddress?.startsWith('127.')) {
    params.inboundBind = bindAddress;
    evidence.push(cite('inboundBind', `inbound source ${bindAddress}`, bind));
  }
  return {
    ...(known ? { preset: known.preset, presetReason: known.reason } : {}),
    params,
    evidence,
    ...(dnsAddress === undefined ? {} : { dnsAddress }),
    inboundPorts: [...new Set(inbound.flatMap((r) => capturedPorts(r.site)))],
    capturesInbound: inbound.length > 0,
    capturesOutbound: outbound.length > 0,
  };
}
