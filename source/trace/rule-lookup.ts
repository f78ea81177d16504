/**
 * Rules by their text: the trace names rules by `Rule.id`; people read them as iptables-save
 * writes them, or an nft rule as `nft -a list` does (table, chain, position, its text and
 * handle). The lookup is built from the scenario's hosts' rulesets and nft tables (no I/O here)
 * and handed to what prints the trace.
 */
import type { NftRuleset, Rule, Ruleset, Trace } from '../model/index.js';
import { ruleSpecText } from '../rules/save.js';
import type { RuleRef } from './words/rule.js';

/** A rule of a host by its id, with its chain, its number and its text; undefined if unknown. */
export type RuleLookup = (host: string, ruleId: string) => RuleRef | undefined;

interface RuledHost {
  readonly name: string;
  readonly rulesets: readonly Ruleset[];
  readonly nft?: NftRuleset;
}

/** An iptables rule's place; its text is written when first asked for. */
type Site = { table: string; chain: string; number: number; rule: Rule; text?: string };

/** A host's nft rules: `inet istio-proxy-nat`, chain, position, text, handle when known. */
function nftRefs(host: RuledHost, byId: Map<string, RuleRef>): void {
  for (const t of host.nft?.tables ?? [])
    for (const c of t.chains)
      c.rules.forEach((rule, i) => {
        if (!byId.has(rule.id))
          byId.set(rule.id, {
            table: `${t.family} ${t.name}`,
            chain: c.name,
            number: i + 1,
            text: rule.text,
            nft: true,
            ...(rule.handle === undefined ? {} : { handle: rule.handle }),
          });
      });
}

/** Where a trace met a rule: enough to find it without an index of every rule. */
interface Met {
  readonly table: string;
  readonly chain: string;
  readonly index: number;
}

/** Each rule id a trace's steps name, on each host, where the step met it. */
function metIn(trace: Trace): Map<string, Met> {
  const met = new Map<string, Met>();
  const add = (host: string, id: string, at: Met) => {
    const key = `${host} ${id}`;
    if (!met.has(key)) met.set(key, at);
  };
  for (const s of trace.steps) {
    if (s.kind === 'rule')
      add(s.host, s.ruleId, { table: s.table.name, chain: s.chain, index: s.ruleIndex });
    else if (s.kind === 'span')
      for (const [k, p] of s.passed.entries())
        add(s.host, p.ruleId, { table: s.table.name, chain: s.chain, index: s.ruleIndex + k });
  }
  return met;
}

/** The iptables rule at a place of a host's rulesets, if it is the one with this id. */
function siteAt(rulesets: readonly Ruleset[], id: string, at: Met): Site | undefined {
  for (const r of rulesets)
    for (const t of r.tables) {
      if (t.name !== at.table) continue;
      const rule = t.chains.find((c) => c.name === at.chain)?.rules[at.index];
      if (rule?.id === id) return { table: t.name, chain: at.chain, number: at.index + 1, rule };
    }
  return undefined;
}

function indexRules(h: RuledHost, byId: Map<string, Site>): void {
  for (const r of h.rulesets)
    for (const t of r.tables)
      for (const c of t.chains)
        c.rules.forEach((rule, i) => {
          if (!byId.has(rule.id))
            byId.set(rule.id, { table: t.name, chain: c.name, number: i + 1, rule });
        });
}

/**
 * The lookup over each host's rulesets and nft tables (the first family wins when two share an
 * id). An iptables rule's text is written when it is first asked for: a kube-proxy node has
 * 170,000 rules and a trace names a few dozen of them. Given the trace whose rules will be
 * asked for, a rule it met is found where it met it, and every rule is indexed only when one
 * it did not meet is asked for: the UI's findings, before its first frame, index nothing.
 */
export function ruleLookup(hosts: readonly RuledHost[], trace?: Trace): RuleLookup {
  const nftByHost = new Map<string, Map<string, RuleRef>>();
  const ruled = new Map<string, RuledHost[]>();
  for (const h of hosts) {
    const nft = nftByHost.get(h.name) ?? new Map<string, RuleRef>();
    nftByHost.set(h.name, nft);
    nftRefs(h, nft);
    ruled.set(h.name, [...(ruled.get(h.name) ?? []), h]);
  }
  let met: Map<string, Met> | undefined;
  const found = new Map<string, Site | undefined>();
  const indexed = new Map<string, Map<string, Site>>();
  const everyRule = (host: string) => {
    let byId = indexed.get(host);
    if (!byId) {
      byId = new Map<string, Site>();
      for (const h of ruled.get(host) ?? []) indexRules(h, byId);
      indexed.set(host, byId);
    }
    return byId;
  };
  const siteOf = (host: string, id: string): Site | undefined => {
    const key = `${host} ${id}`;
    if (found.has(key)) return found.get(key);
    met ??= trace ? metIn(trace) : new Map();
    const at = met.get(key);
    const rulesets = (ruled.get(host) ?? []).flatMap((h) => h.rulesets);
    const site = (at && siteAt(rulesets, id, at)) ?? everyRule(host).get(id);
    found.set(key, site);
    return site;
  };
  return (host, ruleId) => {
    const nft = nftByHost.get(host)?.get(ruleId);
    if (nft) return nft;
    const site = siteOf(host, ruleId);
    if (!site) return undefined;
    site.text ??= ruleSpecText(site.rule);
    return { table: site.table, chain: site.chain, number: site.number, text: site.text };
  };
}
