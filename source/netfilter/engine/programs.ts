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
import type { Hook, HookStage, TableName } from '../../model/index.js';
import { HOOKS } from '../../model/index.js';
import type { CompiledRuleset, CompiledTable } from './compile.js';
import type { ManipType } from './conntrack.js';
import { manipOf } from './nat.js';

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

export type HookProgram =
  | { readonly kind: 'conntrack'; readonly priority: number }
  | { readonly kind: 'confirm'; readonly priority: number }
  /** An xtables table: its built-in chain for this hook runs every packet. */
  | { readonly kind: 'table'; readonly priority: number; readonly table: CompiledTable }
  /**
   * NAT at a manip point: the nat table's chain (if any) for a connection's first packet, then
   * the connection's NAT applied to every packet.
   */
  | {
      readonly kind: 'nat';
      readonly priority: number;
      readonly manip: ManipType;
      readonly table: CompiledTable | undefined;
    };

export type HookPrograms = Readonly<Record<Hook, readonly HookProgram[]>>;

function programsAt(hook: Hook, ruleset: CompiledRuleset | undefined): HookProgram[] {
  const programs: HookProgram[] = [];
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
    });
  for (const [name, table] of ruleset?.tables ?? []) {
    if (name === 'nat' || !table.entry[hook]) continue;
    programs.push({ kind: 'table', priority: TABLE_PRIORITY[name], table });
  }
  // Array.prototype.sort is stable: entries of equal priority keep the order they were added.
  return programs.sort((a, b) => a.priority - b.priority);
}

/** Every hook's program list for one family of a host (its ruleset may be absent). */
export function hookPrograms(ruleset: CompiledRuleset | undefined): HookPrograms {
  const out = {} as Record<Hook, readonly HookProgram[]>;
  for (const hook of HOOKS) out[hook] = programsAt(hook, ruleset);
  return out;
}

/** What the hook step lists: the programs that will look at the packet, confirmation aside. */
export function stagesOf(hook: Hook, programs: readonly HookProgram[]): HookStage[] {
  const stages: HookStage[] = [];
  for (const p of programs) {
    if (p.kind === 'conntrack') stages.push({ kind: 'conntrack' });
    else if (p.kind === 'table') stages.push({ kind: 'table', table: p.table.ref });
    else if (p.kind === 'nat' && p.table?.entry[hook])
      stages.push({ kind: 'table', table: p.table.ref });
  }
  return stages;
}
