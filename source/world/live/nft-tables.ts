/**
 * Native nftables tables in `nft -j list ruleset`: the ones iptables-nft did not write. They run
 * on the same hooks as iptables' chains, so nfdb reads them with the nft JSON reader and
 * simulates them beside the iptables rulesets; iptables-nft's own tables are left out, since the
 * iptables-nft-save capture already holds them (in iptables' words, with its counters).
 */
import type { Diagnostic, NftRuleset } from '../../model/index.js';
import { TABLE_NAMES } from '../../model/index.js';
import { parseNftJson } from '../../rules/nft/json.js';

interface NftObject {
  readonly table?: { family: string; name: string };
  readonly chain?: { family: string; table: string; name: string; hook?: string; prio?: number };
  readonly rule?: { family: string; table: string; expr?: readonly Record<string, unknown>[] };
  readonly [other: string]: unknown;
}

const IPTABLES_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** The table an object belongs to (a table, or a chain, rule, set... of one), as `ip nat`. */
function tableOf(o: NftObject): string | undefined {
  if (o.table) return `${o.table.family} ${o.table.name}`;
  const inner = Object.values(o)[0] as { family?: unknown; table?: unknown } | undefined;
  return typeof inner?.family === 'string' && typeof inner.table === 'string'
    ? `${inner.family} ${inner.table}`
    : undefined;
}

/**
 * Tables iptables-nft writes. The kernel keeps no owner for a table, so nfdb tells them apart as
 * iptables-nft itself sees them: an `ip`/`ip6` table with an iptables table name that
 * iptables-nft-save lists; or one whose base chains all bear iptables' upper-case hook names;
 * or any table whose rules carry `xt` expressions (the compat matches and targets iptables-nft
 * writes where nft has no native expression, which no nft user writes).
 */
function iptablesNftTables(objects: readonly NftObject[], saved: ReadonlySet<string>): Set<string> {
  const mine = new Set<string>();
  for (const o of objects) {
    if (o.rule?.expr?.some((e) => 'xt' in e)) mine.add(`${o.rule.family} ${o.rule.table}`);
    const t = o.table;
    if (!t || (t.family !== 'ip' && t.family !== 'ip6')) continue;
    if (!(TABLE_NAMES as readonly string[]).includes(t.name)) continue;
    const key = `${t.family} ${t.name}`;
    const bases = objects.flatMap((c) =>
      c.chain && c.chain.hook !== undefined && `${c.chain.family} ${c.chain.table}` === key
        ? [c.chain.name]
        : [],
    );
    if (saved.has(key) || (bases.length > 0 && bases.every((n) => IPTABLES_CHAINS.has(n))))
      mine.add(key);
  }
  return mine;
}

/** `*nat` lines of the iptables-nft save texts, as `ip nat`, `ip6 mangle`. */
export function savedTables(v4: string | undefined, v6: string | undefined): Set<string> {
  const names = (text: string | undefined, family: string) =>
    [...(text ?? '').matchAll(/^\*(\w+)/gm)].map((m) => `${family} ${m[1]}`);
  return new Set([...names(v4, 'ip'), ...names(v6, 'ip6')]);
}

export interface NativeTables {
  readonly nft: NftRuleset;
  /** One line per native table: `inet mine (prerouting priority -150)`. */
  readonly names: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** iptables-nft's tables were created after the native ones (see HostConfig). */
  readonly iptablesLoadedLast: boolean;
}

const NONE: NativeTables = {
  nft: { tables: [] },
  names: [],
  diagnostics: [],
  iptablesLoadedLast: false,
};

/**
 * The kernel numbers tables from one counter per network namespace, whatever the family, so
 * handles tell the order tables were created in, and with it the order their base chains
 * registered on shared hooks.
 */
function createdLast(objects: readonly NftObject[], theirs: ReadonlySet<string>): boolean {
  const handles = (mine: boolean) =>
    objects.flatMap((o) => {
      const t = o.table as { family: string; name: string; handle?: number } | undefined;
      return t?.handle !== undefined && theirs.has(`${t.family} ${t.name}`) === mine
        ? [t.handle]
        : [];
    });
  const iptables = handles(true);
  const native = handles(false);
  return iptables.length > 0 && native.length > 0 && Math.min(...iptables) > Math.max(...native);
}

/** The native tables of `nft -j list ruleset`, read for simulation. */
export function nativeTables(
  json: string | undefined,
  iptablesTables: ReadonlySet<string>,
): NativeTables {
  if (!json) return NONE;
  let objects: NftObject[];
  try {
    objects = (JSON.parse(json) as { nftables?: NftObject[] }).nftables ?? [];
  } catch {
    return NONE;
  }
  const theirs = iptablesNftTables(objects, iptablesTables);
  // metainfo and anything of no table is left out with iptables-nft's tables.
  const native = objects.filter((o) => {
    const table = tableOf(o);
    return table !== undefined && !theirs.has(table);
  });
  if (!native.some((o) => o.table)) return NONE;
  // One object a line, so that a diagnostic's line points at the object it is about.
  const text = `{"nftables": [\n${native.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`;
  const diagnostics: Diagnostic[] = [];
  const nft = parseNftJson(text, 'nft -j list ruleset', diagnostics);
  const names = nft.tables.map((t) => {
    const hooks = t.chains.flatMap((c) =>
      c.base ? [`${c.base.hook.toLowerCase()} priority ${c.base.priorityText}`] : [],
    );
    return `${t.family} ${t.name}${hooks.length > 0 ? ` (${hooks.join(', ')})` : ''}`;
  });
  return { nft, names, diagnostics, iptablesLoadedLast: createdLast(objects, theirs) };
}
