/**
 * The nft chain the chain pane shows at a cursor, for the edit keys: as chainAt is for iptables
 * chains, so that the rule a key acts on is the one the pane marks.
 */
import type { NftChain, NftTable, Scenario, Trace } from '../../model/index.js';
import { focusAt } from './chain-at.js';
import { findNftChain } from './nft-chain-view.js';

export interface NftChainAt {
  readonly host: string;
  readonly table: NftTable;
  readonly chain: NftChain;
  /** The rule at the cursor (0-based), when the step is at one. */
  readonly currentRow?: number;
}

export function nftChainAt(
  scenario: Scenario,
  trace: Trace,
  cursor: number,
  frame?: number,
  browse?: number,
): NftChainAt | undefined {
  const step = trace.steps[cursor];
  const { focus, browsed } = focusAt(scenario, trace, cursor, frame, browse);
  if (!step || !focus) return undefined;
  const found = findNftChain(scenario, focus, step.packet.family);
  if (!found) return undefined;
  const atRule = step.kind === 'rule' || step.kind === 'span' || step.kind === 'stop';
  const row = browsed || !atRule ? undefined : focus.ruleIndex;
  return { host: focus.host, ...found, ...(row !== undefined && { currentRow: row }) };
}
