/**
 * What the edit prompt does with its line on Enter: replace the ▶ rule by the rule line, run an
 * iptables command on a host, or set a value of the world. Kept in the UI state while it is open.
 */
import type { Family, TableName } from '../../model/index.js';

export type EditorTarget =
  | {
      readonly kind: 'rule';
      readonly host: string;
      readonly family: Family;
      readonly table: TableName;
      readonly chain: string;
      /** 1-based, as iptables counts. */
      readonly index: number;
    }
  | { readonly kind: 'command'; readonly host: string; readonly family: Family }
  | { readonly kind: 'set' };

/** An edit that did not apply, shown under the line: at a column of it when one is known. */
export interface EditError {
  /** 1-based, within the line as typed. */
  readonly column?: number;
  readonly text: string;
}

/** The prompt's label: what Enter will do. */
export function editorLabel(target: EditorTarget): string {
  if (target.kind === 'rule')
    return `edit rule ${target.index} of ${target.table} ${target.chain} on ${target.host}`;
  if (target.kind === 'command')
    return `iptables or nft command on ${target.host} (HOST: … for another)`;
  return 'set a value of the world (PATH=VALUE, as --set)';
}

/** Why an edit key that acts on a rule has none to act on. */
export const NO_RULE = 'no ▶ rule here: step to one, [ to a calling chain, or . to select a rule';
