/**
 * Native nftables tables in `nft -j list ruleset`: the ones iptables-nft did not write. They run
 * on the same hooks as iptables' chains and nfdb does not simulate them yet, so the user is told
 * which tables and hooks they are.
 */
import { TABLE_NAMES } from '../../model/index.js';

interface NftObject {
  readonly table?: { family: string; name: string };
  readonly chain?: { family: string; table: string; name: string; hook?: string; prio?: number };
}

/** Tables iptables-nft writes: ip/ip6 tables with the iptables names that its save listed. */
function writtenByIptables(family: string, name: string, iptablesTables: ReadonlySet<string>) {
  return (
    (family === 'ip' || family === 'ip6') &&
    (TABLE_NAMES as readonly string[]).includes(name) &&
    iptablesTables.has(`${family} ${name}`)
  );
}

/** `*nat` lines of the iptables-nft save texts, as `ip nat`, `ip6 mangle`. */
export function savedTables(v4: string | undefined, v6: string | undefined): Set<string> {
  const names = (text: string | undefined, family: string) =>
    [...(text ?? '').matchAll(/^\*(\w+)/gm)].map((m) => `${family} ${m[1]}`);
  return new Set([...names(v4, 'ip'), ...names(v6, 'ip6')]);
}

/** One line per native table: `inet mine (prerouting priority -150)`. */
export function nativeTables(
  json: string | undefined,
  iptablesTables: ReadonlySet<string>,
): string[] {
  if (!json) return [];
  let objects: NftObject[];
  try {
    objects = (JSON.parse(json) as { nftables?: NftObject[] }).nftables ?? [];
  } catch {
    return [];
  }
  const tables = objects.flatMap((o) => (o.table ? [o.table] : []));
  return tables
    .filter((t) => !writtenByIptables(t.family, t.name, iptablesTables))
    .map((t) => {
      const hooks = objects
        .flatMap((o) =>
          o.chain && o.chain.family === t.family && o.chain.table === t.name ? [o.chain] : [],
        )
        .filter((c) => c.hook !== undefined)
        .map((c) => `${c.hook} priority ${c.prio ?? 0}`);
      return `${t.family} ${t.name}${hooks.length > 0 ? ` (${hooks.join(', ')})` : ''}`;
    });
}
