/**
 * Where the rules and the modelled proxy disagree. An init container lets its proxy's own
 * connections out of the capture by something the proxy has: its uid, its gid, its socket mark,
 * its cgroup. If the modelled proxy lacks what the rules look for, the trace shows a loop the
 * real proxy never has; nfdb says so before any finding, naming the rule.
 */
import type { NftRuleset, Rule, Ruleset, SourcePos } from '../../model/index.js';
import { firstNumber } from './infer.js';
import { nftExemptions, nftOutboundCapture } from './infer-nft.js';
import type { ProxyParams } from './presets.js';
import {
  exits,
  optionsOf,
  pathOf,
  type RuleSite,
  reachable,
  siteText,
  targetOption,
} from './rule-paths.js';

type Kind = 'uid' | 'gid' | 'mark' | 'cgroup';

interface Exemption {
  readonly kind: Kind;
  /** As the rule writes it: `1337`, `4-5`, `0x539/0xfff`. */
  readonly value: string;
  /** The rule, as `nfdb run` names it (file, line, table, chain, number, text). */
  readonly where: string;
  readonly origin: SourcePos;
}

const at = (site: RuleSite) => ({ where: siteText(site), origin: site.rule.origin });

const isRedirect = (rule: Rule) => targetOption(rule, 'REDIRECT', 'to-ports') !== undefined;

const OPTIONS: readonly (readonly [Kind, string, string])[] = [
  ['uid', 'owner', 'uid-owner'],
  ['gid', 'owner', 'gid-owner'],
  ['mark', 'mark', 'mark'],
  ['cgroup', 'cgroup', 'path'],
  ['cgroup', 'cgroup', 'cgroup'],
];

/**
 * What lets a connection out unredirected in nat OUTPUT: `--uid-owner 1337 -j RETURN`, or
 * `-m mark ! --mark 0x539 -j REDIRECT` (the rule itself or a jump on its way).
 */
function exemptions(ruleset: Ruleset): Exemption[] {
  return reachable(ruleset, 'nat', 'OUTPUT').flatMap((site) => {
    const negatedOnly = isRedirect(site.rule);
    if (!negatedOnly && !exits(site.rule)) return [];
    const rules = negatedOnly ? pathOf(site) : [site.rule];
    return OPTIONS.flatMap(([kind, module, option]) =>
      optionsOf(rules, module, option)
        .filter(({ o }) => o.negated === negatedOnly)
        .map(({ o }) => ({ kind, value: o.values[0] ?? '', ...at(site) })),
    );
  });
}

function idMatches(value: string, id: number): boolean {
  const [lo, hi] = value.split('-').map((v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN));
  if (lo === undefined || Number.isNaN(lo)) return false;
  return hi === undefined ? id === lo : id >= lo && id <= (Number.isNaN(hi) ? lo : hi);
}

function markMatches(value: string, mark: number | undefined): boolean {
  const [v, m] = value.split('/');
  const want = firstNumber(v);
  const mask = m === undefined ? 0xffff_ffff : (firstNumber(m) ?? 0xffff_ffff);
  return want !== undefined && ((mark ?? 0) & mask) >>> 0 === want;
}

function has(proxy: ProxyParams, e: Exemption): boolean {
  if (e.kind === 'uid') return idMatches(e.value, proxy.uid);
  if (e.kind === 'gid') return idMatches(e.value, proxy.gid);
  if (e.kind === 'mark') return markMatches(e.value, proxy.mark ?? proxy.tproxyMark);
  return false;
}

const LACKS: Readonly<Record<Kind, (p: ProxyParams) => string>> = {
  uid: (p) => `runs as uid ${p.uid}`,
  gid: (p) => `runs as gid ${p.gid}`,
  mark: (p) => {
    const mark = p.mark ?? p.tproxyMark;
    return mark === undefined ? 'sets no mark' : `marks 0x${mark.toString(16)}`;
  },
  cgroup: () => 'has no cgroup (nfdb does not model cgroups)',
};

const FIX: Readonly<Record<Kind, string>> = {
  uid: ' (--proxy-uid sets it)',
  gid: ' (--proxy-gid sets it)',
  mark: ' (--proxy-mark sets it)',
  cgroup: '',
};

/** A warning and where the rule it is about was written. */
export interface Misfit {
  readonly message: string;
  readonly origin?: SourcePos;
}

/**
 * The exemptions of a kind the proxy matches none of, one warning per kind, naming its first
 * rule; and a warning when the rules capture the app's connections but exempt nothing at all.
 */
export function misfits(
  rulesets: readonly Ruleset[],
  proxy: ProxyParams,
  nft?: NftRuleset,
): Misfit[] {
  const all: Exemption[] = [...rulesets.flatMap(exemptions), ...(nft ? nftExemptions(nft) : [])];
  const out: Misfit[] = [];
  for (const kind of ['uid', 'gid', 'mark', 'cgroup'] as const) {
    const ofKind = all.filter((e) => e.kind === kind);
    const first = ofKind[0];
    if (!first || ofKind.some((e) => has(proxy, e))) continue;
    out.push({
      message: `the rules let out connections by ${kind} ${first.value} (${first.where}), and the modelled proxy ${proxy.process} ${LACKS[kind](proxy)}${FIX[kind]}: its own connections may be captured where the real proxy's are not`,
      origin: first.origin,
    });
  }
  const iptables = rulesets
    .flatMap((r) => reachable(r, 'nat', 'OUTPUT'))
    .find((s) => isRedirect(s.rule));
  const redirect = iptables ? at(iptables) : nft && nftOutboundCapture(nft);
  if (all.length === 0 && redirect)
    out.push({
      message: `the rules let none of the proxy's own connections out of the capture (no owner or mark rule in nat OUTPUT before ${redirect.where}): the proxy's connections out are sent back to it`,
      origin: redirect.origin,
    });
  return out;
}
