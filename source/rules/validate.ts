/**
 * The checks the kernel (and iptables) make when a ruleset is loaded: every jump has a chain,
 * no chain can reach itself (ELOOP), and each extension is used where it is allowed — which
 * depends on the hooks a chain can be reached from, so those are computed first.
 *
 * This runs on every load of a 60,000-chain kube-proxy dump, so the jump graph is built once per
 * table (chains by index, edges in flat arrays) and every pass over it is linear: one DFS with
 * colours for loops, one propagation per hook (a bit mask per chain) for reachable hooks.
 */

import {
  BUILTIN_VERDICTS,
  type Chain,
  type Diagnostic,
  type Hook,
  type MatchUse,
  type Rule,
  type Ruleset,
  type Table,
} from '../model/index.js';
import { findMatch, findTarget, TARGETS } from '../netfilter/registry.js';
import type { Placement } from '../netfilter/vocabulary.js';
import { didYouMean } from './did-you-mean.js';

const HOOK_BIT: Readonly<Record<Hook, number>> = {
  PREROUTING: 1,
  INPUT: 2,
  FORWARD: 4,
  OUTPUT: 8,
  POSTROUTING: 16,
};
const HOOK_OF: Readonly<Record<string, Hook>> = {
  PREROUTING: 'PREROUTING',
  INPUT: 'INPUT',
  FORWARD: 'FORWARD',
  OUTPUT: 'OUTPUT',
  POSTROUTING: 'POSTROUTING',
};
const OUT_HOOKS = HOOK_BIT.OUTPUT | HOOK_BIT.POSTROUTING;
const IN_HOOKS = HOOK_BIT.PREROUTING | HOOK_BIT.INPUT;

/**
 * A table's jump graph. Chains are known by the index of their name (a name declared twice is
 * the last chain of that name, as a Map built from the list would have it); `edges` hold, per
 * name, the jump and goto rules of its chain and the name index each one targets (-1: none).
 */
interface Graph {
  readonly index: Map<string, number>;
  /** The chain each name index stands for. */
  readonly chains: readonly Chain[];
  /** Edges of name index i are edgeStart[i] .. edgeStart[i + 1] - 1. */
  readonly edgeStart: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeRule: Rule[];
  /** Per name index, 1 for a built-in chain: the walks below read this, not the chains. */
  readonly builtin: Uint8Array;
  /** No name is declared twice: the chain at position i of the table has name index i. */
  readonly unique: boolean;
}

/** The name index of the chain at `position` in the table (see Graph.unique). */
function nameIndex(graph: Graph, chain: Chain, position: number): number {
  return graph.unique ? position : (graph.index.get(chain.name) as number);
}

function jumpTarget(rule: Rule): string | undefined {
  const t = rule.target;
  return t && (t.kind === 'jump' || t.kind === 'goto') ? t.name : undefined;
}

/**
 * The name index of a table's chains (see Graph). Names are set without a lookup first: only
 * when the map does not grow is a name declared twice, and the table is then indexed again with
 * a lookup per chain (hand-built tables only; a parsed one has each name once).
 */
function chainIndex(table: Table): {
  index: Map<string, number>;
  chains: readonly Chain[];
  duplicates: boolean;
} {
  const all = table.chains;
  const index = new Map<string, number>();
  for (let c = 0; c < all.length; c++) {
    index.set((all[c] as Chain).name, c);
    if (index.size === c) return chainIndexOfDuplicates(table);
  }
  return { index, chains: all, duplicates: false };
}

function chainIndexOfDuplicates(table: Table): {
  index: Map<string, number>;
  chains: readonly Chain[];
  duplicates: boolean;
} {
  const index = new Map<string, number>();
  const chains: Chain[] = [];
  for (const chain of table.chains) {
    const known = index.get(chain.name);
    if (known === undefined) {
      index.set(chain.name, chains.length);
      chains.push(chain);
    } else {
      chains[known] = chain;
    }
  }
  return { index, chains, duplicates: true };
}

/**
 * Builds the graph in one pass over the rules and checks every jump on the way (the checks of
 * checkJumps, in the same order), unless a name is declared twice: then checkJumps does it.
 */
function buildGraph(table: Table, diagnostics: Diagnostic[]): Graph {
  const { index, chains, duplicates } = chainIndex(table);
  const n = chains.length;
  const builtin = new Uint8Array(n);
  for (let i = 0; i < n; i++) if ((chains[i] as Chain).builtin) builtin[i] = 1;
  const edgeStart = new Int32Array(n + 1);
  const targets: number[] = [];
  const edgeRule: Rule[] = [];
  for (let i = 0; i < n; i++) {
    edgeStart[i] = targets.length;
    const rules = (chains[i] as Chain).rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r] as Rule;
      const name = jumpTarget(rule);
      if (name === undefined) continue;
      const found = index.get(name);
      targets.push(found ?? -1);
      edgeRule.push(rule);
      // A jump to an existing user chain is fine: known from `builtin`, without the chain.
      if (!duplicates && (found === undefined || builtin[found] === 1))
        checkJump(
          table,
          rule,
          name,
          found === undefined ? undefined : (chains[found] as Chain),
          diagnostics,
        );
    }
  }
  edgeStart[n] = targets.length;
  const graph = {
    index,
    chains,
    edgeStart,
    edgeTarget: Int32Array.from(targets),
    edgeRule,
    builtin,
    unique: !duplicates,
  };
  if (duplicates) checkJumps(table, graph, diagnostics);
  return graph;
}

/** What a -j may name: the table's user chains, the verdicts, the targets nfdb knows. */
function jumpNames(table: Table): string[] {
  const chains = table.chains.filter((c) => !c.builtin).map((c) => c.name);
  return [...chains, ...BUILTIN_VERDICTS, ...TARGETS.keys()];
}

function checkJump(
  table: Table,
  rule: Rule,
  target: string,
  found: Chain | undefined,
  diagnostics: Diagnostic[],
): void {
  if (found && !found.builtin) return;
  const pos = rule.target?.pos ?? rule.origin;
  if (!found) {
    diagnostics.push({
      severity: 'error',
      message: `jump to chain "${target}", which does not exist in table ${table.name}${didYouMean(target, jumpNames(table))}`,
      expected: 'an existing chain or a known target',
      found: target,
      pos,
    });
  } else {
    diagnostics.push({
      severity: 'error',
      message: `jump to built-in chain ${target}`,
      expected: 'a user-defined chain',
      found: target,
      pos,
    });
  }
}

function checkJumps(table: Table, graph: Graph, diagnostics: Diagnostic[]): void {
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const target = jumpTarget(rule);
      if (target === undefined) continue;
      const found = graph.index.get(target);
      checkJump(
        table,
        rule,
        target,
        found === undefined ? undefined : graph.chains[found],
        diagnostics,
      );
    }
  }
}

const UNSEEN = 0;
const ACTIVE = 1;
const DONE = 2;

/**
 * Finds jump cycles with one depth-first walk (white, grey, black) over the jump graph, in table
 * order and rule order; reports the rule that closes each cycle. Iterative: a deep chain of
 * jumps must not overflow the stack.
 */
function checkLoops(table: Table, graph: Graph, diagnostics: Diagnostic[]): boolean {
  const { chains, edgeStart, edgeTarget, edgeRule } = graph;
  const n = chains.length;
  const state = new Uint8Array(n);
  /** The walk's path: name indexes, and where each one's next edge is. */
  const path: number[] = [];
  const nextEdge: number[] = [];
  /** Where an ACTIVE name index sits in path. */
  const depth = new Int32Array(n);
  let looped = false;
  // A chain is visited through its own rules, even when a later chain took its name.
  const start = (name: number, first: number): void => {
    state[name] = ACTIVE;
    depth[name] = path.length;
    path.push(name);
    nextEdge.push(first);
  };
  const all = table.chains;
  for (let c = 0; c < all.length; c++) {
    const chain = all[c] as Chain;
    const root = nameIndex(graph, chain, c);
    if (state[root] !== UNSEEN) continue;
    // The root's edges are its own chain's; for a duplicate name, walk that chain's rules.
    const own = chains[root] === chain;
    const rootEdges = own ? undefined : rootEdgesOf(chain, graph);
    start(root, own ? (edgeStart[root] as number) : 0);
    while (path.length > 0) {
      const top = path.length - 1;
      const at = path[top] as number;
      const e = nextEdge[top] as number;
      const isRoot = top === 0 && rootEdges !== undefined;
      const end = isRoot ? rootEdges.targets.length : (edgeStart[at + 1] as number);
      if (e >= end) {
        state[at] = DONE;
        path.pop();
        nextEdge.pop();
        continue;
      }
      nextEdge[top] = e + 1;
      const next = isRoot ? (rootEdges.targets[e] as number) : (edgeTarget[e] as number);
      if (next < 0 || graph.builtin[next] === 1) continue;
      if (state[next] === ACTIVE) {
        looped = true;
        const names: string[] = [];
        for (let k = depth[next] as number; k < path.length; k++) {
          names.push((chains[path[k] as number] as Chain).name);
        }
        names.push((chains[next] as Chain).name);
        const cycle = names.join(' → ');
        const rule = isRoot ? (rootEdges.rules[e] as Rule) : (edgeRule[e] as Rule);
        diagnostics.push({
          severity: 'error',
          message: `jump loop: ${cycle} (the kernel refuses this with ELOOP)`,
          expected: 'no chain that can reach itself',
          found: cycle,
          pos: rule.target?.pos ?? rule.origin,
        });
      } else if (state[next] === UNSEEN) {
        start(next, edgeStart[next] as number);
      }
    }
  }
  return looped;
}

/** The edges of a chain that lost its name to a later chain (only in hand-built tables). */
function rootEdgesOf(chain: Chain, graph: Graph): { targets: number[]; rules: Rule[] } {
  const targets: number[] = [];
  const rules: Rule[] = [];
  for (const rule of chain.rules) {
    const name = jumpTarget(rule);
    if (name === undefined) continue;
    targets.push(graph.index.get(name) ?? -1);
    rules.push(rule);
  }
  return { targets, rules };
}

interface HookMasks {
  /** Per name index, the hooks it can be reached from as bits of HOOK_BIT. */
  readonly masks: Uint8Array;
  /** Hooks in the order the built-in chains come in the table (the order the sets list them). */
  readonly order: readonly Hook[];
}

/** One propagation per hook from its built-in chain along the jumps: O(hooks × jumps). */
function hookMasks(table: Table, graph: Graph): HookMasks {
  const { chains, edgeStart, edgeTarget } = graph;
  const masks = new Uint8Array(chains.length);
  const order: Hook[] = [];
  const stack: number[] = [];
  const all = table.chains;
  for (let c = 0; c < all.length; c++) {
    const chain = all[c] as Chain;
    const hook = chain.builtin ? HOOK_OF[chain.name] : undefined;
    if (!hook) continue;
    const bit = HOOK_BIT[hook];
    if (!order.includes(hook)) order.push(hook);
    stack.push(nameIndex(graph, chain, c));
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if ((masks[at] as number) & bit) continue;
      masks[at] = (masks[at] as number) | bit;
      const end = edgeStart[at + 1] as number;
      for (let e = edgeStart[at] as number; e < end; e++) {
        const next = edgeTarget[e] as number;
        if (next >= 0) stack.push(next);
      }
    }
  }
  return { masks, order };
}

function hooksOfMask(mask: number, order: readonly Hook[]): Hook[] {
  const hooks: Hook[] = [];
  for (const hook of order) if (mask & HOOK_BIT[hook]) hooks.push(hook);
  return hooks;
}

/** Which hooks each chain can be reached from (a user chain: the union over its callers). */
export function reachableHooks(table: Table): Map<string, Set<Hook>> {
  const graph = buildGraph(table, []);
  const { masks, order } = hookMasks(table, graph);
  const hooks = new Map<string, Set<Hook>>();
  for (const [name, i] of graph.index) {
    hooks.set(name, new Set(hooksOfMask(masks[i] as number, order)));
  }
  return hooks;
}

function checkPlacement(
  ruleset: Ruleset,
  table: Table,
  graph: Graph,
  diagnostics: Diagnostic[],
): void {
  const { masks, order } = hookMasks(table, graph);
  // Placements are plain data the modules only read: one per (hooks, protocol) is enough.
  const hooksByMask = new Map<number, Hook[]>();
  // By hooks mask and `!`, then by protocol: no key strings per rule.
  const placements = new Map<number, Map<string | undefined, Placement>>();
  const placement = (mask: number, hooks: Hook[], rule: Rule): Placement => {
    const protocol = rule.protocol?.value;
    const protocolNegated = rule.protocol?.negated ?? false;
    const group = protocolNegated ? -1 - mask : mask;
    let byProtocol = placements.get(group);
    if (!byProtocol) {
      byProtocol = new Map();
      placements.set(group, byProtocol);
    }
    let where = byProtocol.get(protocol);
    if (!where) {
      where = { family: ruleset.family, table: table.name, hooks, protocol, protocolNegated };
      byProtocol.set(protocol, where);
    }
    return where;
  };
  // The modules by name, looked up once each (a rule's matches name a handful of modules).
  const matchModules = new Map<string, ReturnType<typeof findMatch>>();
  const matchModule = (name: string): ReturnType<typeof findMatch> => {
    let module = matchModules.get(name);
    if (module === undefined && !matchModules.has(name)) {
      module = findMatch(name);
      matchModules.set(name, module);
    }
    return module;
  };
  const all = table.chains;
  for (let c = 0; c < all.length; c++) {
    const chain = all[c] as Chain;
    const mask = masks[nameIndex(graph, chain, c)] as number;
    let chainHooks = hooksByMask.get(mask);
    if (!chainHooks) {
      chainHooks = hooksOfMask(mask, order);
      hooksByMask.set(mask, chainHooks);
    }
    const rules = chain.rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r] as Rule;
      // iptables refuses -i/-o only in the built-in chains themselves; in a user chain the
      // kernel loads the rule and it simply never matches from the wrong hook.
      if (chain.builtin && rule.inInterface && mask & OUT_HOOKS) {
        diagnostics.push({
          severity: 'error',
          message: `-i cannot be used in a chain reached from ${chainHooks.join(', ')}`,
          expected: 'PREROUTING, INPUT or FORWARD',
          found: `-i ${rule.inInterface.value}`,
          pos: rule.origin,
        });
      }
      if (chain.builtin && rule.outInterface && mask & IN_HOOKS) {
        diagnostics.push({
          severity: 'error',
          message: `-o cannot be used in a chain reached from ${chainHooks.join(', ')}`,
          expected: 'FORWARD, OUTPUT or POSTROUTING',
          found: `-o ${rule.outInterface.value}`,
          pos: rule.origin,
        });
      }
      let where: Placement | undefined;
      const matches = rule.matches;
      for (let k = 0; k < matches.length; k++) {
        const match = matches[k] as MatchUse;
        const module = match.simulated ? matchModule(match.module) : undefined;
        if (!module?.check) continue;
        where ??= placement(mask, chainHooks, rule);
        const problem = module.check(match.data, where);
        if (problem)
          diagnostics.push({
            severity: 'error',
            message: `-m ${match.module}: ${problem}`,
            expected: 'a chain where the kernel allows it',
            found: `${table.name} ${chain.name}`,
            pos: match.pos ?? rule.origin,
          });
      }
      const t = rule.target;
      const module = t?.kind === 'extension' && t.simulated ? findTarget(t.name) : undefined;
      if (!t || !module?.check) continue;
      where ??= placement(mask, chainHooks, rule);
      const problem = module.check(t.data, where);
      if (problem)
        diagnostics.push({
          severity: 'error',
          message: `-j ${t.name}: ${problem}`,
          expected: 'a chain where the kernel allows it',
          found: `${table.name} ${chain.name}`,
          pos: t.pos ?? rule.origin,
        });
    }
  }
}

export function validate(ruleset: Ruleset): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const table of ruleset.tables) {
    const graph = buildGraph(table, diagnostics);
    if (!checkLoops(table, graph, diagnostics)) checkPlacement(ruleset, table, graph, diagnostics);
  }
  return diagnostics;
}
