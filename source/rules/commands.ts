/**
 * The iptables commands a line can hold, shared by every text format: `-A CHAIN spec`,
 * `-I CHAIN [n] spec`, `-N`, `-P`, `-X`, `-F`, with `-t TABLE` where the format allows it.
 */

import {
  type Diagnostic,
  type Family,
  type SourcePos,
  TABLE_NAMES,
  type TableName,
} from '../model/index.js';
import type { RulesetBuilder } from './builder.js';
import type { HostNames } from './host-names.js';
import { readRuleSpec } from './rule-spec.js';
import type { SpecCache } from './spec-cache.js';
import type { Token } from './tokenize.js';

export const COMMANDS: Readonly<Record<string, string>> = {
  '-A': 'A',
  '--append': 'A',
  '-I': 'I',
  '--insert': 'I',
  '-N': 'N',
  '--new-chain': 'N',
  '--new': 'N',
  '-P': 'P',
  '--policy': 'P',
  '-X': 'X',
  '--delete-chain': 'X',
  '-F': 'F',
  '--flush': 'F',
  '-D': 'D',
  '--delete': 'D',
  '-R': 'R',
  '--replace': 'R',
  '-Z': 'Z',
  '--zero': 'Z',
};

export interface LineContext {
  readonly file: string;
  readonly line: number;
  readonly family: Family;
  readonly diagnostics: Diagnostic[];
  readonly builder: RulesetBuilder;
  /** The table of the line when it says no `-t`: a save-file block's, or an `-S` file's. */
  readonly table?: TableName;
  /**
   * Whether the line is inside a save file's `*table` block, where `-t` is refused: the block
   * names the table, as iptables-restore has it (see takeTable).
   */
  readonly inBlock?: boolean;
  /** Whether `-N` of an existing chain is an error (the commands format) or allowed (istio). */
  readonly strictNew: boolean;
  /** Shared by the lines of one load (see SpecCache). */
  readonly cache?: SpecCache;
  /** Addresses for host names (`--resolve NAME=ADDR`). */
  readonly hosts?: HostNames;
  /** Rules keep their target's column, targets no position (see SpecContext.targetColumns). */
  readonly targetColumns?: boolean;
}

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

function pos(ctx: LineContext, column: number): SourcePos {
  return { file: ctx.file, line: ctx.line, column };
}

/** Reads `-t TABLE` options anywhere before the command; returns the table and the rest. */
export function takeTable(
  tokens: readonly Token[],
  start: number,
  ctx: LineContext,
): { table?: TableName; rest: readonly Token[] } | undefined {
  let table: TableName | undefined = ctx.table;
  // Most lines (every line of a save file) have neither: then the tokens are the rest as they are.
  let plain = true;
  for (let i = start; i < tokens.length; i++) {
    const text = (tokens[i] as Token).text;
    if (text === '-w' || text === '--wait' || text === '-t' || text === '--table') {
      plain = false;
      break;
    }
  }
  if (plain) return { table, rest: start === 0 ? tokens : tokens.slice(start) };
  const rest: Token[] = [];
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.text === '-w' || t.text === '--wait') {
      if (/^\d+$/.test(tokens[i + 1]?.text ?? '')) i++;
      continue;
    }
    if ((t.text === '-t' || t.text === '--table') && !t.quoted) {
      const name = tokens[i + 1];
      if (ctx.inBlock) {
        // iptables-restore hands each line to do_command4 with the block's table already set,
        // and its `case 't'` refuses a second one: "The -t option (seen in line %u) cannot be
        // used in iptables-restore" (iptables/iptables.c; add_param_to_argv in xshared.c
        // before 1.8.4). The line is refused, not loaded into the other table.
        ctx.diagnostics.push({
          severity: 'error',
          message: `${t.text} cannot be used inside a *${ctx.table ?? 'table'} block`,
          expected: `a rule of the *${ctx.table ?? 'table'} block, without ${t.text}`,
          found: name ? `${t.text} ${name.text}` : t.text,
          pos: pos(ctx, t.column),
        });
        return undefined;
      }
      if (!name || !isTableName(name.text)) {
        ctx.diagnostics.push({
          severity: 'error',
          message: `unknown table "${name?.text ?? ''}"`,
          expected: 'raw, mangle, nat, filter or security',
          found: name?.text ?? 'end of line',
          pos: pos(ctx, name?.column ?? t.column),
        });
        return undefined;
      }
      table = name.text;
      i++;
      continue;
    }
    rest.push(t);
  }
  return { table, rest };
}

export function runCommand(tokens: readonly Token[], start: number, ctx: LineContext): void {
  const taken = takeTable(tokens, start, ctx);
  if (!taken) return;
  const { rest } = taken;
  const tableName = taken.table ?? 'filter';
  const first = rest[0];
  if (!first) return;
  const command = COMMANDS[first.text];
  const at = pos(ctx, first.column);
  if (!command) {
    ctx.diagnostics.push({
      severity: 'error',
      message: `unknown command "${first.text}"`,
      expected: '-A, -I, -N, -P, -X or -F',
      found: first.text,
      pos: at,
    });
    return;
  }
  const b = ctx.builder;
  const table = b.table(tableName, at);
  const chainToken = rest[1];
  const chainName = chainToken?.text;
  const chainPos = chainToken ? pos(ctx, chainToken.column) : at;
  const needChain = (): string | undefined => {
    if (chainName === undefined)
      b.error(at, `${first.text} needs a chain name`, 'a chain name', 'end of line');
    return chainName;
  };
  switch (command) {
    case 'A': {
      const name = needChain();
      if (name === undefined) return;
      const draft = readRuleSpec(rest, 2, ctx);
      if (draft) b.addRule(table, name, draft, chainPos);
      return;
    }
    case 'I': {
      const name = needChain();
      if (name === undefined) return;
      const numberToken = rest[2];
      const hasNumber = numberToken !== undefined && /^\d+$/.test(numberToken.text);
      const draft = readRuleSpec(rest, hasNumber ? 3 : 2, ctx);
      if (draft) b.addRule(table, name, draft, chainPos, hasNumber ? Number(numberToken.text) : 1);
      return;
    }
    case 'N': {
      const name = needChain();
      if (name !== undefined)
        b.declare(table, name, '-', { packets: 0, bytes: 0 }, chainPos, ctx.strictNew);
      return;
    }
    case 'P': {
      const name = needChain();
      const policy = rest[2];
      if (name === undefined) return;
      if (!policy) {
        b.error(chainPos, '-P needs a policy', 'ACCEPT or DROP', 'end of line');
        return;
      }
      // Each error at the word its `found` names: the chain's, or the policy's.
      b.setPolicy(table, name, policy.text, chainPos, undefined, pos(ctx, policy.column));
      return;
    }
    case 'F':
      b.flush(table, chainName, chainPos);
      return;
    case 'X':
      b.deleteChain(table, chainName, chainPos);
      return;
    default:
      ctx.diagnostics.push({
        severity: 'error',
        message: `command "${first.text}" is not supported in a ruleset file`,
        expected: '-A, -I, -N, -P, -X or -F',
        found: first.text,
        pos: at,
      });
  }
}
