/**
 * The edits the in-place editor makes without text: switch a rule off and on, move it. Each
 * reads the rule from the ruleset shown, so that the edit carries it (and its id) as data.
 */

import {
  findChain,
  findTable,
  type Rule,
  type Ruleset,
  type TableName,
} from '../../model/index.js';
import type { Edit } from './types.js';

export type SwitchOff = Extract<Edit, { op: 'disable' }>;

function ruleAt(
  ruleset: Ruleset,
  table: TableName,
  chain: string,
  index: number,
): Rule | undefined {
  const t = findTable(ruleset, table);
  const c = t && findChain(t, chain);
  return c?.rules[index - 1];
}

/**
 * Switches rule `index` (1-based) of the chain off: the edit takes it out and keeps it, id and
 * counters, for switchOn to put back where it was. Undefined when there is no such rule.
 */
export function switchOff(
  ruleset: Ruleset,
  table: TableName,
  chain: string,
  index: number,
): SwitchOff | undefined {
  const rule = ruleAt(ruleset, table, chain, index);
  return rule && { op: 'disable', family: ruleset.family, table, chain, index, rule };
}

/** The edit that puts a switched-off rule back at its place (the end if the chain shrank). */
export function switchOn(off: SwitchOff): Edit {
  return { ...off, op: 'enable' };
}

/**
 * Moves rule `index` to position `to` (1-based, counted in the chain as it is): `to` is
 * index - 1 for up, index + 1 for down. Undefined when either is not a rule of the chain.
 */
export function moveRule(
  ruleset: Ruleset,
  table: TableName,
  chain: string,
  index: number,
  to: number,
): Edit | undefined {
  const rule = ruleAt(ruleset, table, chain, index);
  if (!rule || !ruleAt(ruleset, table, chain, to)) return undefined;
  return { op: 'move', family: ruleset.family, table, chain, index, to, rule };
}
