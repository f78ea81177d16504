/**
 * The rule edit keys on an nft chain, as nft commands: `e` opens `replace rule … handle H` with
 * the rule's text, `i` and `a` open `insert rule … position H` (before it) and `add rule …
 * position H` (after it), `D` runs `delete rule … handle H`, `P` opens the base chain's policy.
 * The commands go through the same prompt and history as `!`, so nft's own reasons refuse them.
 * Switching off and moving keep an iptables rule's identity; nft has no such commands.
 */
import type { Command } from '../keymap.js';
import type { NftChainAt } from '../view/nft-chain-at.js';
import { NO_RULE } from './editor-target.js';

export type NftKeyAction =
  /** Open the command prompt on this line, for the user to finish or change. */
  | { readonly kind: 'prompt'; readonly line: string }
  /** Run this command now. */
  | { readonly kind: 'run'; readonly command: string; readonly what: string }
  | { readonly kind: 'message'; readonly text: string };

export function nftKeyAction(command: Command, at: NftChainAt, row?: number): NftKeyAction {
  const { table, chain } = at;
  const where = `${table.family} ${table.name} ${chain.name}`;
  const rule = row === undefined ? undefined : chain.rules[row];
  switch (command) {
    case 'chain.policy':
      return chain.base
        ? {
            kind: 'prompt',
            line: `add chain ${where} { policy ${chain.base.policy === 'accept' ? 'drop' : 'accept'} ; }`,
          }
        : {
            kind: 'message',
            text: `${chain.name} is a regular chain: only base chains have a policy`,
          };
    case 'rule.on':
    case 'rule.off':
    case 'rule.up':
    case 'rule.down':
      return {
        kind: 'message',
        text: 'nft has no switching off or moving a rule: D deletes it (u undoes), i and a add one',
      };
    default:
      break;
  }
  if (!rule && (command === 'rule.insert' || command === 'rule.append'))
    return { kind: 'prompt', line: `add rule ${where} ` };
  if (!rule) return { kind: 'message', text: NO_RULE };
  const handle = rule.handle;
  if (handle === undefined)
    return {
      kind: 'message',
      text: `rule ${(row ?? 0) + 1} of ${chain.name} has no handle to name it by`,
    };
  switch (command) {
    case 'rule.edit':
      return { kind: 'prompt', line: `replace rule ${where} handle ${handle} ${rule.text}` };
    case 'rule.insert':
      return { kind: 'prompt', line: `insert rule ${where} position ${handle} ` };
    case 'rule.append':
      return { kind: 'prompt', line: `add rule ${where} position ${handle} ` };
    case 'rule.delete':
      return {
        kind: 'run',
        command: `delete rule ${where} handle ${handle}`,
        what: `deleted rule ${(row ?? 0) + 1} of ${chain.name} (handle ${handle})`,
      };
    default:
      return { kind: 'message', text: `${command}: not for nft rules` };
  }
}
