/**
 * Which chain the chain pane shows at a cursor, and which of its rules is the `▶` one: what the
 * pane draws and what the rule editor edits, from one place so the two cannot disagree.
 */
import type { Chain, Ruleset, Scenario, Step, Table, Trace } from '../../model/index.js';
import { chainNamed } from '../../model/index.js';
import { focusChain } from './focus-chain.js';
import { hookChain, hostChains, rulesetFor } from './host-chains.js';

export interface ChainAt {
  readonly host: string;
  readonly ruleset: Ruleset;
  readonly table: Table;
  readonly chain: Chain;
  /** The rule at the cursor (0-based), when the step is at one. */
  readonly currentRow?: number;
  /** Browsing the host's chains with { }: which of how many this is (from 0). */
  readonly browsing?: { readonly index: number; readonly count: number };
}

/** The row of the rule a walk stopped at (one it does not simulate), in the stop's own chain. */
function stopRow(step: Step, chain: Chain, frame?: number): number | undefined {
  if (step.kind !== 'stop' || !step.ruleId || frame !== undefined || step.chain !== chain.name)
    return undefined;
  const row = chain.rules.findIndex((r) => r.id === step.ruleId);
  return row < 0 ? undefined : row;
}

/**
 * The chain in focus at a cursor, by name: the browsed one, the step's (or the selected frame's),
 * else the hook's. An nft chain is named here too; chainAt finds iptables chains only.
 */
export function focusAt(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  frame?: number,
  browse?: number,
) {
  const chains = browse === undefined ? [] : hostChains(scenario, trace, cursor);
  const browsedIndex = (browse ?? 0) % Math.max(1, chains.length);
  const browsed = chains[browsedIndex];
  const focus = browsed ?? focusChain(trace, cursor, frame) ?? hookChain(scenario, trace, cursor);
  return { focus, browsed, browsedIndex, chains };
}

export function chainAt(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  frame?: number,
  browse?: number,
): ChainAt | undefined {
  const step = trace.steps[cursor];
  const { focus, browsed, browsedIndex, chains } = focusAt(scenario, trace, cursor, frame, browse);
  if (!step || !focus) return undefined;
  const ruleset = rulesetFor(scenario, focus.host, step.packet.family);
  const table = ruleset?.tables.find((t) => t.name === focus.table);
  const chain = table && chainNamed(table.chains, focus.chain);
  if (!ruleset || !table || !chain) return undefined;
  const ruleIndex = browsed ? undefined : (focus.ruleIndex ?? stopRow(step, chain, frame));
  const atRule =
    step.kind === 'rule' || step.kind === 'span' || step.kind === 'stop' || frame !== undefined;
  return {
    host: focus.host,
    ruleset,
    table,
    chain,
    ...(ruleIndex !== undefined && atRule ? { currentRow: ruleIndex } : {}),
    ...(browsed && { browsing: { index: browsedIndex, count: chains.length } }),
  };
}
