/**
 * Reads an edit written as an iptables command (`-t nat -D ISTIO_OUTPUT 6`, with or without a
 * leading `iptables`), with the same command, table and rule-spec readers the files use: one
 * grammar for a file's lines and for an edit.
 */

import type { Diagnostic, Family, TableName } from '../../model/index.js';
import { draftRule, RulesetBuilder } from '../builder.js';
import { COMMANDS, type LineContext, takeTable } from '../commands.js';
import { PROGRAMS } from '../lines-format.js';
import { type RuleDraft, readRuleSpec } from '../rule-spec.js';
import { type Token, tokenize } from '../tokenize.js';
import { isNftEdit, parseNftEdit } from './nft.js';
import { EDIT_FILE, type Edit, type NewRule, type ParsedEdit } from './types.js';

const EDIT_COMMANDS = '-A, -I, -R, -D, -P, -N, -X or -F';

/** Everything one parse needs: the tokens, where errors go, and the context of the readers. */
interface Reading {
  readonly tokens: readonly Token[];
  readonly ctx: LineContext;
  readonly diagnostics: Diagnostic[];
}

function fail(
  r: Reading,
  column: number,
  message: string,
  expected: string,
  found: string,
): undefined {
  r.diagnostics.push({
    severity: 'error',
    message,
    expected,
    found,
    pos: { file: EDIT_FILE, line: 1, column },
  });
  return undefined;
}

function newRule(draft: RuleDraft, column: number): NewRule {
  const origin = { file: EDIT_FILE, line: 1, column };
  // The reader's draft is reused from line to line: the rule keeps a copy of its matches.
  const {
    id: _id,
    counters: _counters,
    ...rule
  } = draftRule({ ...draft, matches: [...draft.matches] }, '', origin);
  return rule;
}

/** The rule spec from token `from` on, or undefined with its diagnostics. */
function ruleFrom(r: Reading, rest: readonly Token[], from: number): NewRule | undefined {
  const before = r.diagnostics.length;
  const draft = readRuleSpec(rest, from, r.ctx);
  if (!draft || r.diagnostics.slice(before).some((d) => d.severity === 'error')) return undefined;
  // An edit is one rule: iptables' one rule per listed address is not what an edit names.
  if (draft.sourceList || draft.destinationList) {
    const list = rest.find((t) => t.text.includes(','));
    return fail(
      r,
      list?.column ?? 1,
      'several addresses in one edit',
      'one address per edit (one edit per rule)',
      list?.text ?? '',
    );
  }
  return newRule(draft, rest[0]?.column ?? 1);
}

/** A rule number as iptables reads one: 1 or more. */
function ruleNumber(token: Token | undefined): number | undefined {
  return token && /^\d+$/.test(token.text) && Number(token.text) >= 1
    ? Number(token.text)
    : undefined;
}

/** Refuses words after a command that takes no more (iptables: "Bad argument"). */
function nothingAfter(r: Reading, rest: readonly Token[], from: number): boolean {
  const extra = rest[from];
  if (!extra) return true;
  fail(r, extra.column, `unexpected "${extra.text}"`, 'end of the command', extra.text);
  return false;
}

function readCommand(
  r: Reading,
  rest: readonly Token[],
  family: Family,
  table: TableName,
): Edit | undefined {
  const first = rest[0] as Token;
  const command = COMMANDS[first.text];
  if (!command || command === 'Z')
    return fail(r, first.column, `unknown edit "${first.text}"`, EDIT_COMMANDS, first.text);
  const chainToken = rest[1];
  const chain = chainToken?.text;
  if (command === 'X' || command === 'F') {
    if (!nothingAfter(r, rest, chain === undefined ? 1 : 2)) return undefined;
    return { op: command === 'X' ? 'delete-chain' : 'flush', family, table, chain };
  }
  if (chain === undefined)
    return fail(r, first.column, `${first.text} needs a chain name`, 'a chain name', 'end of line');
  const at = { family, table, chain };
  const numberToken = rest[2];
  const number = ruleNumber(numberToken);
  const needNumber = (): number | undefined =>
    number ??
    fail(
      r,
      numberToken?.column ?? (chainToken?.column ?? 1) + chain.length + 1,
      `${first.text} needs a rule number`,
      'a rule number, 1 or more',
      numberToken?.text ?? 'end of line',
    );
  switch (command) {
    case 'A': {
      const rule = ruleFrom(r, rest, 2);
      return rule && { ...at, op: 'append', rule };
    }
    case 'I': {
      // `-I CHAIN 0`: a number, but not a rule's.
      if (numberToken && /^\d+$/.test(numberToken.text) && number === undefined) {
        needNumber();
        return undefined;
      }
      const rule = ruleFrom(r, rest, number === undefined ? 2 : 3);
      return rule && { ...at, op: 'insert', index: number ?? 1, rule };
    }
    case 'R': {
      const index = needNumber();
      const rule = index === undefined ? undefined : ruleFrom(r, rest, 3);
      return rule && index !== undefined ? { ...at, op: 'replace', index, rule } : undefined;
    }
    case 'D': {
      if (number !== undefined)
        return nothingAfter(r, rest, 3) ? { ...at, op: 'delete', index: number } : undefined;
      if (numberToken && /^\d+$/.test(numberToken.text)) {
        needNumber();
        return undefined;
      }
      const rule = ruleFrom(r, rest, 2);
      return rule && { ...at, op: 'delete-matching', rule };
    }
    case 'P': {
      const policy = rest[2];
      if (policy?.text !== 'ACCEPT' && policy?.text !== 'DROP')
        return fail(
          r,
          policy?.column ?? first.column,
          policy ? `bad policy "${policy.text}"` : '-P needs a policy',
          'ACCEPT or DROP',
          policy?.text ?? 'end of line',
        );
      return nothingAfter(r, rest, 3) ? { ...at, op: 'policy', policy: policy.text } : undefined;
    }
    default:
      return nothingAfter(r, rest, 2) ? { ...at, op: 'new-chain' } : undefined;
  }
}

/** Skips a leading `sudo` and `iptables`/`ip6tables` word; the program says the family. */
function program(tokens: readonly Token[], family: Family): { start: number; family: Family } {
  let start = tokens[0]?.text === 'sudo' ? 1 : 0;
  const named = PROGRAMS[tokens[start]?.text.split('/').pop() ?? ''];
  if (named) start++;
  return { start, family: named ?? family };
}

/**
 * An edit from the text a user typed or `--edit` gave. Diagnostics are at line 1, with columns
 * within the text; the table is filter unless `-t` says otherwise.
 */
export function parseEdit(text: string, family: Family): ParsedEdit {
  if (isNftEdit(text)) return parseNftEdit(text);
  const diagnostics: Diagnostic[] = [];
  const tokenized = tokenize(text);
  if (!tokenized.ok) {
    const pos = { file: EDIT_FILE, line: 1, column: tokenized.column };
    diagnostics.push({
      severity: 'error',
      message: tokenized.message,
      expected: 'a closing quote',
      found: 'end of line',
      pos,
    });
    return { ok: false, diagnostics };
  }
  const tokens = tokenized.tokens;
  const named = program(tokens, family);
  const ctx: LineContext = {
    file: EDIT_FILE,
    line: 1,
    family: named.family,
    diagnostics,
    builder: new RulesetBuilder(named.family, diagnostics),
    strictNew: true,
  };
  const r: Reading = { tokens, ctx, diagnostics };
  const taken = takeTable(tokens, named.start, ctx);
  let edit: Edit | undefined;
  if (taken) {
    const first = taken.rest[0];
    edit = first
      ? readCommand(r, taken.rest, named.family, taken.table ?? 'filter')
      : fail(r, text.length + 1, 'the edit is empty', EDIT_COMMANDS, 'end of line');
  }
  return edit && !diagnostics.some((d) => d.severity === 'error')
    ? { ok: true, edit }
    : { ok: false, diagnostics };
}

/**
 * The in-place editor's form: a rule line `-A CHAIN spec` (as the user's file writes it) that
 * replaces rule `index` of `chain`, or is inserted there (before it; index length+1 appends).
 */
export function parseRuleLine(
  text: string,
  family: Family,
  target: {
    readonly table: TableName;
    readonly chain: string;
    readonly index: number;
    readonly mode: 'replace' | 'insert';
  },
): ParsedEdit {
  const parsed = parseEdit(text, family);
  if (!parsed.ok) return parsed;
  const edit = parsed.edit;
  const column = text.search(/\S/) + 1;
  if (edit.op !== 'append')
    return lineError(column, 'a rule line', `-A ${target.chain} followed by the rule`, text);
  // Without -t the line is read as filter's; a -t of another table is not this rule's line.
  if (edit.table !== target.table && /(^|\s)(-t|--table)\s/.test(text)) {
    const at = text.search(/(-t|--table)\s/) + 1;
    return lineError(at, `the rule is in table ${target.table}`, target.table, edit.table);
  }
  if (edit.chain !== target.chain) {
    const at = text.indexOf(edit.chain) + 1;
    return lineError(at, `the rule is in chain ${target.chain}`, target.chain, edit.chain);
  }
  const placed = { family: edit.family, table: target.table, chain: target.chain };
  return {
    ok: true,
    edit: { ...placed, op: target.mode, index: target.index, rule: edit.rule },
  };
}

function lineError(column: number, message: string, expected: string, found: string): ParsedEdit {
  return {
    ok: false,
    diagnostics: [
      { severity: 'error', message, expected, found, pos: { file: EDIT_FILE, line: 1, column } },
    ],
  };
}
