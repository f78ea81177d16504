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
  type Backend,
  BUILTIN_VERDICTS,
  type Chain,
  chainPositions,
  type Diagnostic,
  type Hook,
  type MatchUse,
  type Rule,
  type Ruleset,
  type Table,
  type TargetUse,
  targetPos,
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
  readonly index: ReadonlyMap<string, number>;
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
 * The name index of a table's chains (see Graph): the model's index of the list (chainPositions),
 * which the proxy's fit and the UI read too, so that a 60,000-chain table is indexed once per
 * load. When a name is declared twice (hand-built tables only; a parsed one has each name once),
 * the index is made again with the last chain of each name, as the kernel's checks see it.
 */
function chainIndex(table: Table): {
  index: ReadonlyMap<string, number>;
  chains: readonly Chain[];
  duplicates: boolean;
} {
  const all = table.chains;
  const index = chainPositions(all);
  if (index.size === all.length) return { index, chains: all, duplicates: false };
  return chainIndexOfDuplicates(table);
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
  else graphs.set(table, graph);
  return graph;
}

/** The graphs the load-time checks built, kept with their tables for jumpGraph. */
const graphs = new WeakMap<Table, Graph>();

/** A table's jumps between its chains' positions: edges of chain c are edgeStart[c] .. edgeStart[c + 1] - 1. */
export interface JumpGraph {
  readonly edgeStart: Int32Array;
  /** The position of the chain each jump or goto names, -1 for none. */
  readonly edgeTarget: Int32Array;
}

/**
 * The jumps of a table by chain position: the graph the load made while checking it, or one made
 * now. The proxy's fit reads it, so that a 10k-service node's 120,000 jumps are looked up by name
 * once per load. Undefined when a name is declared twice (hand-built tables only).
 */
export function jumpGraph(table: Table): JumpGraph | undefined {
  const graph = graphs.get(table) ?? buildGraph(table, []);
  return graph.unique ? graph : undefined;
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
  const pos = targetPos(rule);
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
function checkLoops(
  table: Table,
  graph: Graph,
  masks: Uint8Array,
  diagnostics: Diagnostic[],
): boolean {
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
        const names: string[] = [];
        for (let k = depth[next] as number; k < path.length; k++) {
          names.push((chains[path[k] as number] as Chain).name);
        }
        names.push((chains[next] as Chain).name);
        const cycle = names.join(' → ');
        const rule = isRoot ? (rootEdges.rules[e] as Rule) : (edgeRule[e] as Rule);
        // Both backends check loops from the built-in chains only: a cycle none reaches loads.
        const reached = masks[next] !== 0;
        looped ||= reached;
        diagnostics.push({
          severity: reached ? 'error' : 'warning',
          message: reached
            ? `jump loop: ${cycle} (the kernel refuses this with ELOOP)`
            : `jump loop: ${cycle}, which no built-in chain reaches: iptables-legacy and iptables-nft load it, and no packet runs it`,
          expected: 'no chain that can reach itself',
          found: cycle,
          pos: targetPos(rule),
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
  { masks, order }: HookMasks,
  graph: Graph,
  diagnostics: Diagnostic[],
): void {
  const check = new PlacementCheck(ruleset, table, order, diagnostics);
  const all = table.chains;
  for (let c = 0; c < all.length; c++) {
    const chain = all[c] as Chain;
    check.chain(chain, masks[nameIndex(graph, chain, c)] as number);
    const rules = chain.rules;
    for (let r = 0; r < rules.length; r++) check.rule(rules[r] as Rule);
  }
}

/**
 * checkPlacement's work on one table, a rule at a time. A method per rule, not one loop body
 * over the table: JavaScriptCore compiled that function of 170,000 iterations three times (DFG,
 * FTL, and FTL again to enter it inside its loop); a small method called per rule is compiled
 * once per tier.
 */
class PlacementCheck {
  /** Placements are plain data the modules only read: one per (hooks, protocol) is enough. */
  private readonly hooksByMask = new Map<number, Hook[]>();
  /** By hooks mask and `!`, then by protocol: no key strings per rule. */
  private readonly placements = new Map<number, Map<string | undefined, Placement>>();
  /** The modules by name, looked up once each (a rule's matches name a handful of modules). */
  private readonly matchModules = new Map<string, ReturnType<typeof findMatch>>();
  /** The chain whose rules rule() is given, its hooks mask and its hooks. */
  private current: Chain | undefined;
  private mask = 0;
  private chainHooks: Hook[] = [];

  constructor(
    private readonly ruleset: Ruleset,
    private readonly table: Table,
    private readonly order: readonly Hook[],
    private readonly diagnostics: Diagnostic[],
  ) {}

  chain(chain: Chain, mask: number): void {
    this.current = chain;
    this.mask = mask;
    let chainHooks = this.hooksByMask.get(mask);
    if (!chainHooks) {
      chainHooks = hooksOfMask(mask, this.order);
      this.hooksByMask.set(mask, chainHooks);
    }
    this.chainHooks = chainHooks;
  }

  private placement(rule: Rule): Placement {
    const protocol = rule.protocol?.value;
    const protocolNegated = rule.protocol?.negated ?? false;
    const group = protocolNegated ? -1 - this.mask : this.mask;
    let byProtocol = this.placements.get(group);
    if (!byProtocol) {
      byProtocol = new Map();
      this.placements.set(group, byProtocol);
    }
    let where = byProtocol.get(protocol);
    if (!where) {
      where = {
        family: this.ruleset.family,
        table: this.table.name,
        hooks: this.chainHooks,
        protocol,
        protocolNegated,
      };
      byProtocol.set(protocol, where);
    }
    return where;
  }

  private matchModule(name: string): ReturnType<typeof findMatch> {
    let module = this.matchModules.get(name);
    if (module === undefined && !this.matchModules.has(name)) {
      module = findMatch(name);
      this.matchModules.set(name, module);
    }
    return module;
  }

  rule(rule: Rule): void {
    const chain = this.current as Chain;
    const mask = this.mask;
    // iptables refuses -i/-o only in the built-in chains themselves; in a user chain the
    // kernel loads the rule and it simply never matches from the wrong hook.
    if (chain.builtin && rule.inInterface && mask & OUT_HOOKS)
      this.interfaceError(rule, '-i', rule.inInterface.value, 'PREROUTING, INPUT or FORWARD');
    if (chain.builtin && rule.outInterface && mask & IN_HOOKS)
      this.interfaceError(rule, '-o', rule.outInterface.value, 'FORWARD, OUTPUT or POSTROUTING');
    let where: Placement | undefined;
    const matches = rule.matches;
    for (let k = 0; k < matches.length; k++) {
      const match = matches[k] as MatchUse;
      const module = match.simulated ? this.matchModule(match.module) : undefined;
      if (!module?.check && !module?.checkBackend) continue;
      where ??= this.placement(rule);
      this.checkMatch(chain, rule, match, module, where);
    }
    const t = rule.target;
    const module = t?.kind === 'extension' && t.simulated ? findTarget(t.name) : undefined;
    if (!t || (!module?.check && !module?.checkBackend)) return;
    this.checkTarget(chain, rule, t, module, where ?? this.placement(rule));
  }

  private interfaceError(rule: Rule, option: string, name: string, expected: string): void {
    this.diagnostics.push({
      severity: 'error',
      message: `${option} cannot be used in a chain reached from ${this.chainHooks.join(', ')}`,
      expected,
      found: `${option} ${name}`,
      pos: rule.origin,
    });
  }

  private checkMatch(
    chain: Chain,
    rule: Rule,
    match: MatchUse,
    module: NonNullable<ReturnType<typeof findMatch>>,
    where: Placement,
  ): void {
    const problem = module.check?.(match.data, where);
    if (!problem && !module.checkBackend) return;
    this.report(
      { what: `-m ${match.module}`, found: `${this.table.name} ${chain.name}` },
      match.pos ?? rule.origin,
      problem,
      (b) => module.checkBackend?.(match.data, where, b),
    );
  }

  private checkTarget(
    chain: Chain,
    rule: Rule,
    t: TargetUse,
    module: NonNullable<ReturnType<typeof findTarget>>,
    w: Placement,
  ): void {
    // A literal, not a spread: a kube-proxy dump has 50,000 DNAT rules to check.
    const entry = {
      family: w.family,
      table: w.table,
      hooks: w.hooks,
      protocol: w.protocol,
      protocolNegated: w.protocolNegated,
      matches: rule.matches,
    };
    const problem = module.check?.(t.data, entry);
    if (!problem && !module.checkBackend) return;
    this.report(
      { what: `-j ${t.name}`, found: `${this.table.name} ${chain.name}` },
      targetPos(rule),
      problem,
      (b) => module.checkBackend?.(t.data, entry, b),
    );
  }

  /**
   * A module's problem with where its rule is, as an error; else what the backend checks say
   * (an error for the backend loaded as, a warning for the other one).
   */
  private report(
    at: { what: string; found: string },
    pos: Diagnostic['pos'],
    problem: string | undefined,
    backend: (b: Backend) => string | undefined,
  ): void {
    if (problem)
      this.diagnostics.push({
        severity: 'error',
        message: `${at.what}: ${problem}`,
        expected: 'a chain where the kernel allows it',
        found: at.found,
        pos,
      });
    else this.diagnostics.push(...backendChecks(this.ruleset, at, pos, backend));
  }
}

/** The backend nfdb loads as (a ruleset built by hand is legacy), and the other one. */
function backendsOf(ruleset: Ruleset): [Backend, Backend] {
  return ruleset.backend === 'nft' ? ['nft', 'legacy'] : ['legacy', 'nft'];
}

/**
 * A check only one backend makes: an error when loading as that backend, else a warning that
 * names it, so a ruleset moved between the two is not a surprise.
 */
function backendChecks(
  ruleset: Ruleset,
  at: { what: string; found: string },
  pos: Diagnostic['pos'],
  check: (backend: Backend) => string | undefined,
): Diagnostic[] {
  const [mine, other] = backendsOf(ruleset);
  const own = check(mine);
  if (own)
    return [
      {
        severity: 'error',
        message: `${at.what}: ${own} (iptables-${mine}; iptables-${other} loads it)`,
        expected: 'a chain where the kernel allows it',
        found: at.found,
        pos,
      },
    ];
  const theirs = check(other);
  if (!theirs) return [];
  return [
    {
      severity: 'warning',
      message: `${at.what}: iptables-${other} refuses this rule: ${theirs} (iptables-${mine}, which nfdb loads as, accepts it)`,
      expected: 'a rule both backends load',
      found: at.found,
      pos,
    },
  ];
}

/** nf_tables' jump stack: a path of this many user chains from a base chain is refused. */
const NFT_JUMP_DEPTH = 16;

/**
 * The longest path of user chains from a built-in chain (no loops are left when this runs).
 * iptables-nft refuses 16 (EMLINK, "Too many links"); x_tables has no such limit.
 */
function checkDepth(ruleset: Ruleset, graph: Graph, diagnostics: Diagnostic[]) {
  const { chains, edgeStart, edgeTarget, builtin } = graph;
  const depth = new Int32Array(chains.length).fill(-1);
  const deepest = (root: number): number => {
    // Iterative post-order: a kube-proxy table nests few levels but has 60,000 chains.
    const stack = [root];
    while (stack.length > 0) {
      const at = stack[stack.length - 1] as number;
      let pending = false;
      let best = 0;
      for (let e = edgeStart[at] as number; e < (edgeStart[at + 1] as number); e++) {
        const next = edgeTarget[e] as number;
        if (next < 0 || builtin[next] === 1) continue;
        if ((depth[next] as number) < 0) {
          stack.push(next);
          pending = true;
        } else best = Math.max(best, depth[next] as number);
      }
      if (pending) continue;
      stack.pop();
      depth[at] = (builtin[at] === 1 ? 0 : 1) + best;
    }
    return depth[root] as number;
  };
  for (let c = 0; c < chains.length; c++) {
    if (builtin[c] !== 1 || deepest(c) < NFT_JUMP_DEPTH) continue;
    const [mine, other] = backendsOf(ruleset);
    const first = firstJump(graph, c);
    const chain = (chains[c] as Chain).name;
    diagnostics.push({
      severity: mine === 'nft' ? 'error' : 'warning',
      message:
        mine === 'nft'
          ? `${NFT_JUMP_DEPTH} or more user chains nested under ${chain}: iptables-nft refuses this ("Too many links"; iptables-${other} loads it)`
          : `${NFT_JUMP_DEPTH} or more user chains nested under ${chain}: iptables-nft refuses this ("Too many links"); iptables-${mine}, which nfdb loads as, accepts it`,
      expected: `fewer than ${NFT_JUMP_DEPTH} nested user chains`,
      found: `${deepest(c)} nested`,
      pos: first?.origin ??
        (chains[c] as Chain).rules[0]?.origin ?? { file: '', line: 1, column: 1 },
    });
    return;
  }
}

/** The first jump rule of a chain, for a message's position. */
function firstJump(graph: Graph, chain: number): Rule | undefined {
  const e = graph.edgeStart[chain] as number;
  return e < (graph.edgeStart[chain + 1] as number) ? (graph.edgeRule[e] as Rule) : undefined;
}

export function validate(ruleset: Ruleset): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const table of ruleset.tables) {
    const graph = buildGraph(table, diagnostics);
    const hooks = hookMasks(table, graph);
    if (checkLoops(table, graph, hooks.masks, diagnostics)) continue;
    checkPlacement(ruleset, table, hooks, graph, diagnostics);
    checkDepth(ruleset, graph, diagnostics);
  }
  return diagnostics;
}
