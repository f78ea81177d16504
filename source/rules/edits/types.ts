/**
 * What-if edits of a ruleset, as data: each is one iptables command (or one move of the
 * in-place editor) that a history can apply, undo and export as the command a real host runs.
 */

import type { Diagnostic, Family, Rule, TableName } from '../../model/index.js';

interface ChainEdit {
  readonly family: Family;
  readonly table: TableName;
  readonly chain: string;
}

/**
 * A rule as an edit brings it: its matches and target, not yet an id (the ruleset it lands in
 * gives one, see freshRuleId) and no counters (a new rule starts at zero, as in the kernel).
 */
export type NewRule = Omit<Rule, 'id' | 'counters'>;

/**
 * - `append` `-A`, `insert` `-I CHAIN n` (1-based, as iptables counts), `replace` `-R CHAIN n`:
 *   the replaced rule keeps its id, so the traces before and after line up rule by rule.
 * - `delete` `-D CHAIN n`; `delete-matching` `-D CHAIN spec`: the first rule with that spec.
 * - `disable` takes a rule out and keeps it (its id too) for `enable` to put back: the kernel
 *   has no switched-off rule, so a rule switched off is a rule deleted, and exported so.
 * - `move`: the rule at `index` to `to`, keeping its id (exported as a delete and an insert).
 * - `policy` `-P`, `new-chain` `-N`, `delete-chain` `-X` (every empty unreferenced user chain
 *   without a name), `flush` `-F` (the whole table without a name).
 * - `nft`: an nft command, for a host's nft tables.
 */
export type Edit =
  | (ChainEdit & { readonly op: 'append'; readonly rule: NewRule })
  | (ChainEdit & { readonly op: 'insert'; readonly index: number; readonly rule: NewRule })
  | (ChainEdit & { readonly op: 'replace'; readonly index: number; readonly rule: NewRule })
  | (ChainEdit & { readonly op: 'delete'; readonly index: number })
  | (ChainEdit & { readonly op: 'delete-matching'; readonly rule: NewRule })
  | (ChainEdit & { readonly op: 'disable'; readonly index: number; readonly rule: Rule })
  | (ChainEdit & { readonly op: 'enable'; readonly index: number; readonly rule: Rule })
  | (ChainEdit & {
      readonly op: 'move';
      readonly index: number;
      readonly to: number;
      readonly rule: Rule;
    })
  | (ChainEdit & { readonly op: 'policy'; readonly policy: 'ACCEPT' | 'DROP' })
  | (ChainEdit & { readonly op: 'new-chain' })
  | {
      readonly op: 'delete-chain' | 'flush';
      readonly family: Family;
      readonly table: TableName;
      readonly chain?: string;
    }
  /** A command of nft's own (`add rule inet T C …`), run on the host's nft tables (see nft.ts). */
  | { readonly op: 'nft'; readonly family: Family; readonly command: string };

export type EditOp = Edit['op'];

/** parseEdit's answer: an edit, or why the text is not one (at line 1, columns in the text). */
export type ParsedEdit =
  | { readonly ok: true; readonly edit: Edit }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The file name an edit's diagnostics and its rules' origins carry. */
export const EDIT_FILE = 'edit';
