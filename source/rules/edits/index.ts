/** What-if edits of rulesets: read, apply, undo and export them. Pure, no I/O. */

export { type AppliedEdit, applyEdit, freshRuleId } from './apply.js';
export { editAsCommand } from './command.js';
export { moveRule, type SwitchOff, switchOff, switchOn } from './editor.js';
export {
  apply,
  type EditHistory,
  type HistoryResult,
  type HostEdit,
  type HostNft,
  type HostRulesets,
  newHistory,
  redo,
  rulesetsOf,
  switchedOff,
  undo,
} from './history.js';
export { applyNftCommand, isNftEdit } from './nft.js';
export { parseEdit, parseRuleLine } from './parse.js';
export { EDIT_FILE, type Edit, type EditOp, type NewRule, type ParsedEdit } from './types.js';
