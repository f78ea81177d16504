/**
 * The edits view's diff of nft tables, as nft users read them: per table (`reviews table inet
 * istio-proxy-nat`), each rule as `nft -a list` names it — its chain, its position, its text and
 * its handle — removed (-), added or changed (+) or moved (~). Rules are matched by id, as in
 * the iptables diff beside it (edits-lines.ts).
 */
import type { NftChain, NftRule, NftTable } from '../../model/index.js';
import type { HostNft } from '../../rules/edits/index.js';

const ruleLine = (chain: string, r: NftRule, i: number) =>
  `${chain} ${i + 1}: ${r.text}${r.handle === undefined ? '' : ` # handle ${r.handle}`}`;

function chainDiff(name: string, before?: NftChain, after?: NftChain): string[] {
  if (!after) return before ? [`- chain ${name}`] : [];
  const lines = before ? [] : [`+ chain ${name}`];
  const old = new Map((before?.rules ?? []).map((r, i) => [r.id, { r, i }]));
  const kept = new Set(after.rules.map((r) => r.id));
  (before?.rules ?? []).forEach((r, i) => {
    if (!kept.has(r.id)) lines.push(`- ${ruleLine(name, r, i)}`);
  });
  after.rules.forEach((r, i) => {
    const was = old.get(r.id);
    if (!was) lines.push(`+ ${ruleLine(name, r, i)}`);
    else if (was.r.text !== r.text)
      lines.push(`- ${ruleLine(name, was.r, was.i)}`, `+ ${ruleLine(name, r, i)}`);
  });
  return lines;
}

function tableDiff(host: string, before?: NftTable, after?: NftTable): string[] {
  const names = [
    ...new Set([...(before?.chains ?? []), ...(after?.chains ?? [])].map((c) => c.name)),
  ];
  const lines = names.flatMap((n) =>
    chainDiff(
      n,
      before?.chains.find((c) => c.name === n),
      after?.chains.find((c) => c.name === n),
    ),
  );
  const t = (before ?? after) as NftTable;
  const head = `${host} table ${t.family} ${t.name}`;
  if (!after) return [`${head}`, '  - table'];
  return lines.length > 0 ? [before ? head : `${head} (added)`, ...lines.map((l) => `  ${l}`)] : [];
}

/** The diff of each host's nft tables, host by host, table by table. */
export function nftRulesDiff(original: HostNft, current: HostNft): string[] {
  const hosts = [...new Set([...original.keys(), ...current.keys()])];
  return hosts.flatMap((host) => {
    const was = original.get(host)?.tables ?? [];
    const now = current.get(host)?.tables ?? [];
    const key = (t: NftTable) => `${t.family} ${t.name}`;
    const keys = [...new Set([...was, ...now].map(key))];
    return keys.flatMap((k) =>
      tableDiff(
        host,
        was.find((t) => key(t) === k),
        now.find((t) => key(t) === k),
      ),
    );
  });
}
