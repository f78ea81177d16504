/** An edit written as the iptables (or nft) command that makes the same change on a real host. */

import { type Rule, ZERO_COUNTERS } from '../../model/index.js';
import { ruleSpecText } from '../save.js';
import type { Edit, NewRule } from './types.js';

function spec(rule: NewRule | Rule): string {
  return ruleSpecText({ id: '', counters: ZERO_COUNTERS, ...rule });
}

/** The command's words after `-t TABLE`, one list per command (a move takes two). */
function commandWords(edit: Exclude<Edit, { op: 'nft' }>): string[] {
  switch (edit.op) {
    case 'append':
      return [`-A ${edit.chain} ${spec(edit.rule)}`];
    case 'insert':
    case 'enable':
      return [`-I ${edit.chain} ${edit.index} ${spec(edit.rule)}`];
    case 'replace':
      return [`-R ${edit.chain} ${edit.index} ${spec(edit.rule)}`];
    case 'delete':
    case 'disable':
      return [`-D ${edit.chain} ${edit.index}`];
    case 'delete-matching':
      return [`-D ${edit.chain} ${spec(edit.rule)}`];
    case 'move':
      return [`-D ${edit.chain} ${edit.index}`, `-I ${edit.chain} ${edit.to} ${spec(edit.rule)}`];
    case 'policy':
      return [`-P ${edit.chain} ${edit.policy}`];
    case 'new-chain':
      return [`-N ${edit.chain}`];
    case 'delete-chain':
      return [edit.chain === undefined ? '-X' : `-X ${edit.chain}`];
    case 'flush':
      return [edit.chain === undefined ? '-F' : `-F ${edit.chain}`];
  }
}

/**
 * `iptables -t nat -D ISTIO_OUTPUT 6`: the command (`ip6tables` for IPv6) with its table always
 * said. A move is two commands, one a line.
 */
export function editAsCommand(edit: Edit): string {
  if (edit.op === 'nft') return `nft ${edit.command}`;
  const program = edit.family === 'ipv6' ? 'ip6tables' : 'iptables';
  return commandWords(edit)
    .map((words) => `${program} -t ${edit.table} ${words}`.trimEnd())
    .join('\n');
}
