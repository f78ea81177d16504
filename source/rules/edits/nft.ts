/**
 * What-if edits of nft tables, in nft's own syntax: `add rule inet T C …`, `insert rule … index N
 * …` or `position H`, `delete rule … handle H`, `replace rule … handle H …`, `add chain … {
 * policy drop ; }`, `flush chain`, `add element`. The same reader that loads an nft script runs
 * the command on the ruleset as it stands, so an edit means what `nft` makes of it; a refusal
 * gives nft's own reason (`Could not process rule: No such file or directory`) and nfdb's words
 * for which part was missing.
 */
import type { Diagnostic, Family } from '../../model/index.js';
import type { NftRuleset } from '../../model/nft.js';
import { NftBuilder } from '../nft/builder.js';
import { NftScriptReader } from '../nft/script.js';
import { toNftScript } from '../nft/script-text.js';
import { EDIT_FILE, type ParsedEdit } from './types.js';

const VERBS = ['add', 'insert', 'replace', 'delete', 'destroy', 'flush', 'create'];
const OBJECTS = ['rule', 'chain', 'set', 'map', 'element', 'table'];

/** Whether an edit's text is an nft command (`add rule …`, `nft add rule …`), not iptables'. */
export function isNftEdit(text: string): boolean {
  const words = text.trim().split(/\s+/);
  const [verb, object] = words[0] === 'nft' ? words.slice(1) : words;
  return VERBS.includes(verb ?? '') && OBJECTS.includes(object ?? '');
}

/** The nft command of an edit (a leading `nft` dropped), its family for the edit history. */
export function parseNftEdit(text: string): ParsedEdit {
  const command = text.trim().replace(/^nft\s+/, '');
  const family: Family = /^\S+\s+\S+\s+ip6\s/.test(command) ? 'ipv6' : 'ipv4';
  return { ok: true, edit: { op: 'nft', family, command } };
}

/** nft's reason for a command nfdb refuses: the kernel's errno, as `nft` prints it. */
function nftReason(d: Diagnostic): string {
  if (/^no table /.test(d.message)) return 'No such file or directory';
  if (/^(no |chain \S+ has |jump to|goto to)/.test(d.message))
    return 'Could not process rule: No such file or directory';
  if (/exists$/.test(d.message)) return 'File exists';
  return 'syntax error';
}

/** nfdb's words on the part nft would stop at: what it is, what was expected there. */
function detail(d: Diagnostic): string {
  const expected = d.expected === undefined ? '' : `; expected ${d.expected}`;
  const found = d.found === undefined ? '' : `, found ${d.found}`;
  return `${d.message}${expected}${found}`;
}

export type AppliedNftEdit =
  | {
      readonly ok: true;
      readonly ruleset: NftRuleset;
      readonly changed: boolean;
      readonly ruleId?: string;
    }
  | { readonly ok: false; readonly message: string; readonly diagnostics?: readonly Diagnostic[] };

/** The ruleset with the command run on it, or why nft would refuse it. */
export function applyNftCommand(ruleset: NftRuleset, command: string): AppliedNftEdit {
  const diagnostics: Diagnostic[] = [];
  const builder = NftBuilder.from(ruleset, 'e');
  const edited = new NftScriptReader(EDIT_FILE, diagnostics, 1, builder).read(command);
  const errors = diagnostics.filter((d) => d.severity === 'error' && d.pos.file === EDIT_FILE);
  const first = errors[0];
  if (first)
    return {
      ok: false,
      message: `nft ${command}: ${nftReason(first)} (${detail(first)})`,
      diagnostics: errors,
    };
  const before = new Set(
    ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => r.id))),
  );
  const added = edited.tables
    .flatMap((t) => t.chains.flatMap((c) => c.rules))
    .find((r) => !before.has(r.id));
  return {
    ok: true,
    ruleset: edited,
    changed: toNftScript(edited) !== toNftScript(ruleset),
    ...(added ? { ruleId: added.id } : {}),
  };
}
