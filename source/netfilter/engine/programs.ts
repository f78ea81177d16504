/**
 * What each hook runs, in the kernel's order: a list of (priority, program) entries, sorted by
 * priority as nf_register_net_hook() sorts its hook entries. An iptables table is one program at
 * its registered priority; conntrack's lookup and confirmation are two more; the nat table is a
 * program of its own kind, since conntrack consults it for a connection's first packet only and
 * applies the NAT it bound to every packet. An nftables base chain will be another kind of
 * program on the same list, at whatever priority its chain says.
 *
 * A table is a program at a hook only if it has a chain there: under iptables-nft a built-in
 * chain no command named is `absent` (compile.ts leaves it out of `entry`). The nat program
 * stays on every manip point all the same: nf_nat registers its hooks for all of them once any
 * nat base chain exists, so a connection's NAT is applied where the table has no chain.
 */
import type { Family, Hook, HookStage, TableName } from '../../model/index.js';
import { HOOKS } from '../../model/index.js';
import type { CompiledRuleset, CompiledTable } from './compile.js';
import type { ManipType } from './conntrack.js';
import { manipOf } from './nat.js';
import type { CompiledNftChain, CompiledNftTable } from './nft/compile.js';
import { tableFamilies } from './nft/compile.js';

/** NF_IP_PRI_CONNTRACK and NF_IP_PRI_CONNTRACK_CONFIRM. */
const CONNTRACK_PRIORITY = -200;
const CONFIRM_PRIORITY = 2 ** 31 - 1;

/** Where iptables registers each table (NF_IP_PRI_*); nat's hooks are apart (natPriority). */
const TABLE_PRIORITY: Readonly<Record<Exclude<TableName, 'nat'>, number>> = {
  raw: -300,
  mangle: -150,
  filter: 0,
  security: 50,
};

/** Destination NAT before routing (NF_IP_PRI_NAT_DST), source NAT after it (NF_IP_PRI_NAT_SRC). */
function natPriority(manip: ManipType): number {
  return manip === 'dnat' ? -100 : 100;
}

/** The hooks where conntrack looks a packet up, and where it confirms a new entry. */
const CONNTRACK_HOOKS: readonly Hook[] = ['PREROUTING', 'OUTPUT'];
const CONFIRM_HOOKS: readonly Hook[] = ['INPUT', 'POSTROUTING'];

/**
 * An nftables base chain on a hook. `registered` orders chains of equal priority: the kernel
 * puts a new hook entry before the ones of equal priority (nf_hook_entries_grow), so the chain
 * registered later runs first. nft tables are taken as loaded after iptables' tables.
 */
export interface NftEntry {
  readonly priority: number;
  readonly registered: number;
  readonly table: CompiledNftTable;
  readonly chain: CompiledNftChain;
}

export type HookProgram =
  | { readonly kind: 'conntrack'; readonly priority: number }
  /** An nftables base chain of type filter or route. */
  | ({ readonly kind: 'nft' } & NftEntry)
  | { readonly kind: 'confirm'; readonly priority: number }
  /** An xtables table: its built-in chain for this hook runs every packet. */
  | {
      readonly kind: 'table';
      readonly priority: number;
      readonly table: CompiledTable;
      /** When it was registered relative to nft's base chains (0: before them all). */
      readonly registered: number;
    }
  /**
   * NAT at a manip point: the nat table's chain (if any) for a connection's first packet, then
   * the connection's NAT applied to every packet.
   */
  | {
      readonly kind: 'nat';
      readonly priority: number;
      readonly manip: ManipType;
      readonly table: CompiledTable | undefined;
      /** When the iptables nat table was registered relative to nft's base chains. */
      readonly registered: number;
      /**
       * The nftables nat chains of this hook: with the nat table, consulted in priority order
       * until one binds the connection's NAT (nf_nat_inet_fn), at the nat hook's own place.
       */
      readonly nft: readonly NftEntry[];
    };

export type HookPrograms = Readonly<Record<Hook, readonly HookProgram[]>>;

/** Every base chain of the tables a family sees, in the order they were made. */
function nftEntries(tables: readonly CompiledNftTable[], family: Family, hook: Hook): NftEntry[] {
  const out: NftEntry[] = [];
  let registered = 0;
  for (const table of tables) {
    if (!tableFamilies(table.table).includes(family)) {
      registered += table.chains.size;
      continue;
    }
    for (const chain of table.chains.values()) {
      registered++;
      const base = chain.chain.base;
      if (base?.hook === hook) out.push({ priority: base.priority, registered, table, chain });
    }
  }
  return out;
}

/** Priority first; of equal priority, the later registered first (non-nft entries count as 0). */
function byPriority(a: HookProgram, b: HookProgram): number {
  const ra = 'registered' in a ? a.registered : 0;
  const rb = 'registered' in b ? b.registered : 0;
  return a.priority - b.priority || rb - ra;
}

/** iptables loaded after every nft chain: later than any nft registration. */
const LAST = Number.MAX_SAFE_INTEGER;

function programsAt(
  hook: Hook,
  ruleset: CompiledRuleset | undefined,
  nft: readonly NftEntry[],
  iptablesLast: boolean,
): HookProgram[] {
  const registered = iptablesLast ? LAST : 0;
  const programs: HookProgram[] = [];
  const natChains = nft.filter((e) => e.chain.chain.base?.type === 'nat');
  for (const e of nft) if (e.chain.chain.base?.type !== 'nat') programs.push({ kind: 'nft', ...e });
  if (CONNTRACK_HOOKS.includes(hook))
    programs.push({ kind: 'conntrack', priority: CONNTRACK_PRIORITY });
  if (CONFIRM_HOOKS.includes(hook)) programs.push({ kind: 'confirm', priority: CONFIRM_PRIORITY });
  const manip = manipOf(hook);
  if (manip)
    programs.push({
      kind: 'nat',
      priority: natPriority(manip),
      manip,
      table: ruleset?.tables.get('nat'),
      registered,
      nft: natChains,
    });
  for (const [name, table] of ruleset?.tables ?? []) {
    if (name === 'nat' || !table.entry[hook]) continue;
    programs.push({ kind: 'table', priority: TABLE_PRIORITY[name], table, registered });
  }
  // Array.prototype.sort is stable: entries of equal priority keep the order they were added.
  return programs.sort(byPriority);
}

/** The nat chains of a manip point in the order nf_nat_inet_fn tries them. */
export function natOrder(
  program: Extract<HookProgram, { kind: 'nat' }>,
  hook: Hook,
): readonly ({ kind: 'table'; table: CompiledTable } | ({ kind: 'nft' } & NftEntry))[] {
  const iptables =
    program.table?.entry[hook] !== undefined
      ? [
          {
            kind: 'table' as const,
            priority: program.priority,
            registered: program.registered,
            table: program.table,
          },
        ]
      : [];
  const nft = program.nft.map((e) => ({ kind: 'nft' as const, ...e }));
  return [...iptables, ...nft].sort(
    (a, b) => a.priority - b.priority || b.registered - a.registered,
  );
}

/** Every hook's program list for one family of a host (its ruleset may be absent). */
export function hookPrograms(
  ruleset: CompiledRuleset | undefined,
  nft: readonly CompiledNftTable[] = [],
  family: Family = ruleset?.ruleset.family ?? 'ipv4',
  iptablesLast = false,
): HookPrograms {
  const out = {} as Record<Hook, readonly HookProgram[]>;
  for (const hook of HOOKS)
    out[hook] = programsAt(hook, ruleset, nftEntries(nft, family, hook), iptablesLast);
  return out;
}

/** What the hook step lists: the programs that will look at the packet, confirmation aside. */
export function stagesOf(hook: Hook, programs: readonly HookProgram[]): HookStage[] {
  const stages: HookStage[] = [];
  for (const p of programs) {
    if (p.kind === 'conntrack') stages.push({ kind: 'conntrack' });
    else if (p.kind === 'table') stages.push({ kind: 'table', table: p.table.ref });
    else if (p.kind === 'nft') stages.push({ kind: 'table', table: p.table.ref });
    else if (p.kind === 'nat')
      for (const e of natOrder(p, hook)) stages.push({ kind: 'table', table: e.table.ref });
  }
  return stages;
}
