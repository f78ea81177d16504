/**
 * iptables-save / iptables-restore input: `*table` blocks of `:CHAIN POLICY [p:b]` lines and
 * commands, each block ending in COMMIT; `[p:b]` before a rule with `-c`. The istio golden
 * variant writes `* nat`, uses -N/-I, and has `iptables-save` marker lines (see istio-format.ts).
 */

import {
  type Backend,
  type Counters,
  type Diagnostic,
  type Family,
  type Ruleset,
  type SourcePos,
  type TableName,
  ZERO_COUNTERS,
} from '../model/index.js';
import { RulesetBuilder } from './builder.js';
import { isTableName, type LineContext, runCommand } from './commands.js';
import { countersFromText, tooBigCount } from './counter-text.js';
import type { HostNames } from './host-names.js';
import { NOT_READ, plainWord, readRuleLine, readRuleSpec } from './rule-spec.js';
import { SpecCache } from './spec-cache.js';
import { TextScan } from './text-scan.js';
import { type Token, TokenPool, tokenizePooled } from './tokenize.js';

export interface SaveOptions {
  readonly file: string;
  readonly family: Family;
  /** Line number of the first line of `lines` (for a part cut from a larger file). */
  readonly firstLine?: number;
  readonly istio?: boolean;
  /** The iptables that restores it (see Backend); nft when not said. */
  readonly backend?: Backend;
  /** Addresses for host names (`--resolve NAME=ADDR`). */
  readonly hosts?: HostNames;
}

const COUNTERS = /^\[(\d+):(\d+)\]$/;

/** `[p:b]`: its counters, undefined when it is not that form, or the diagnostic of a too big count. */
function counters(token: Token | undefined, pos: SourcePos): Counters | Diagnostic | undefined {
  const text = token?.text;
  // `[0:0]`, on every chain line of most dumps: one shared value (the model is immutable).
  if (text === '[0:0]') return ZERO_COUNTERS;
  const m = text === undefined || text.charCodeAt(0) !== 91 /* [ */ ? null : COUNTERS.exec(text);
  if (!m) return undefined;
  const packets = m[1] as string;
  const bytes = m[2] as string;
  const read = countersFromText(packets, bytes);
  if (typeof read === 'object') return read;
  const at = read === 'packets' ? 1 : packets.length + 2;
  return {
    severity: 'error',
    ...tooBigCount(read),
    found: read === 'packets' ? packets : bytes,
    pos: { ...pos, column: (token?.column ?? 1) + at },
  };
}

const isDiagnostic = (c: Counters | Diagnostic | undefined): c is Diagnostic =>
  c !== undefined && 'severity' in c;

export function parseSaveLines(
  lines: readonly string[],
  options: SaveOptions,
  diagnostics: Diagnostic[],
): Ruleset | undefined {
  return parseSave(lines, options, diagnostics);
}

/** parseSaveLines on the whole text, read line by line without splitting it first. */
export function parseSaveText(
  text: string,
  options: SaveOptions,
  diagnostics: Diagnostic[],
): Ruleset | undefined {
  return parseSave(text, options, diagnostics);
}

function parseSave(
  source: string | readonly string[],
  options: SaveOptions,
  diagnostics: Diagnostic[],
): Ruleset | undefined {
  const builder = new RulesetBuilder(options.family, diagnostics, options.backend);
  const first = options.firstLine ?? 1;
  let table: TableName | undefined;
  // After an unknown *table, its lines are skipped up to COMMIT: one error, not one per line.
  let skipping = false;
  let tablePos: SourcePos | undefined;
  const at = (line: number, column: number): SourcePos => ({ file: options.file, line, column });
  // One context for every line (only its line and table change): this loop runs 230,000 times
  // on a large dump, and the context is not kept by anything it is handed to.
  const cache = new SpecCache();
  const ctx: { -readonly [K in keyof LineContext]: LineContext[K] } = {
    file: options.file,
    line: first,
    family: options.family,
    diagnostics,
    builder,
    table: undefined,
    inBlock: true,
    strictNew: !options.istio,
    cache,
    hosts: options.hosts,
    targetColumns: true,
  };
  const pool = new TokenPool();
  /**
   * What the loop below does for a plain `-A CHAIN spec` line (see isPlainAppend), for the
   * lines readRuleLine reads; false (nothing done) for the others.
   */
  const appendLine = (
    text: string,
    start: number,
    end: number,
    lineNo: number,
    table: TableName,
  ): boolean => {
    const from = start + 3;
    let to = text.indexOf(' ', from);
    if (to < 0 || to > end) to = end;
    if (!plainWord(text, from, to, cache.scan)) return false;
    const tableDraft = builder.table(table, tablePos ?? at(lineNo, 1));
    cache.chains = tableDraft.chains;
    ctx.line = lineNo;
    ctx.table = table;
    const draft = readRuleLine(text, to, end, start, ctx);
    if (draft === NOT_READ) return false;
    if (draft) builder.appendAt(tableDraft, text, from, to, draft, at(lineNo, 4));
    return true;
  };
  /**
   * What the loop below does for a `:NAME POLICY [0:0]` line written one space apart (see
   * chainLine), for the lines of that shape; false (nothing done) for the others.
   */
  const declareLine = (
    text: string,
    start: number,
    end: number,
    lineNo: number,
    table: TableName,
  ): boolean => {
    const nameEnd = text.indexOf(' ', start + 1);
    if (nameEnd < 0 || nameEnd >= end || !plainWord(text, start + 1, nameEnd, cache.scan))
      return false;
    const policyEnd = text.indexOf(' ', nameEnd + 1);
    if (policyEnd < 0 || policyEnd >= end) return false;
    const policy = policyWord(text, nameEnd + 1, policyEnd);
    if (policy === undefined || end - policyEnd !== 6 || !text.startsWith(' [0:0]', policyEnd))
      return false;
    const tableDraft = builder.table(table, tablePos ?? at(lineNo, 1));
    cache.chains = tableDraft.chains;
    const name = text.slice(start + 1, nameEnd);
    declareChain(builder, tableDraft, name, policy, ZERO_COUNTERS, at(lineNo, 1), cache, start + 1);
    return true;
  };
  const text = typeof source === 'string' ? source : undefined;
  const lines = typeof source === 'string' ? undefined : source;
  if (text !== undefined) {
    // The names and comments found in the text are compared where they are in it.
    cache.comments.clear(text);
    cache.chainNames.clear(text);
    cache.scan = new TextScan(text);
  }
  // As text.split('\n') without its last empty element: `offset` is where the next line starts.
  let offset = 0;
  let index = 0;
  for (; ; index++) {
    let raw: string;
    if (text !== undefined) {
      if (offset >= text.length) break;
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      // `-A CHAIN spec` in a table, most lines of a dump: read from the text where it is, without
      // a line string or tokens (readRuleLine), when it is of the shapes that reader knows.
      if (
        table !== undefined &&
        !skipping &&
        text.charCodeAt(offset) === 45 /* - */ &&
        text.charCodeAt(offset + 1) === 65 /* A */ &&
        text.charCodeAt(offset + 2) === 32 &&
        appendLine(text, offset, end, first + index, table)
      ) {
        offset = end + 1;
        continue;
      }
      // `:CHAIN - [0:0]`, a quarter of the lines of a large dump: without tokens, as above.
      if (
        table !== undefined &&
        !skipping &&
        text.charCodeAt(offset) === 58 /* : */ &&
        declareLine(text, offset, end, first + index, table)
      ) {
        offset = end + 1;
        continue;
      }
      raw = text.slice(offset, end);
      offset = end + 1;
    } else {
      if (lines === undefined || index >= lines.length) break;
      raw = lines[index] as string;
    }
    const lineNo = first + index;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const c = line.charCodeAt(0);
    if (line.length === 0 || c === 35 /* # */) continue;
    if (options.istio && (line === 'iptables-save' || line === 'ip6tables-save')) continue;
    if (c === 42 /* * */) {
      const name = line.slice(1).trim();
      if (table !== undefined) {
        diagnostics.push({
          severity: 'error',
          message: `table ${table} was not closed with COMMIT`,
          expected: 'COMMIT',
          found: line,
          pos: at(lineNo, 1),
        });
      }
      if (!isTableName(name)) {
        diagnostics.push({
          severity: 'error',
          message: `unknown table "${name}"`,
          expected: 'raw, mangle, nat, filter or security',
          found: name,
          pos: at(lineNo, 2),
        });
        table = undefined;
        skipping = true;
        continue;
      }
      skipping = false;
      table = name;
      tablePos = at(lineNo, 1);
      builder.table(name, tablePos, true);
      cache.chainNames.clear();
      continue;
    }
    if (c !== 45 /* - */ && line.trim() === 'COMMIT') {
      if (table === undefined && !skipping) {
        diagnostics.push({
          severity: 'error',
          message: 'COMMIT outside a table',
          expected: 'a *table line first',
          found: 'COMMIT',
          pos: at(lineNo, 1),
        });
      }
      table = undefined;
      skipping = false;
      continue;
    }
    if (skipping) continue;
    const tokens = tokenizePooled(line, pool);
    if (typeof tokens === 'number') {
      diagnostics.push({
        severity: 'error',
        message: 'unterminated quoted string',
        expected: 'a closing quote',
        found: 'end of line',
        pos: at(lineNo, tokens),
      });
      continue;
    }
    if (tokens.length === 0) continue;
    if (table === undefined) {
      diagnostics.push({
        severity: 'error',
        message: 'a line outside any table',
        expected: '*raw, *mangle, *nat, *filter or *security first',
        found: truncate(line),
        pos: at(lineNo, 1),
      });
      continue;
    }
    const tableDraft = builder.table(table, tablePos ?? at(lineNo, 1));
    cache.chains = tableDraft.chains;
    if (c === 58 /* : */) {
      chainLine(tokens, builder, tableDraft, at(lineNo, 1), diagnostics, cache);
      continue;
    }
    let start = 0;
    const ruleCounters = counters(tokens[0], at(lineNo, 1));
    if (tokens[0]?.text.charCodeAt(0) === 91 /* [ */) {
      if (isDiagnostic(ruleCounters)) {
        diagnostics.push(ruleCounters);
        continue;
      }
      if (!ruleCounters) {
        diagnostics.push({
          severity: 'error',
          message: 'bad counters',
          expected: '[PACKETS:BYTES]',
          found: tokens[0].text,
          pos: at(lineNo, 1),
        });
        continue;
      }
      start = 1;
    }
    ctx.line = lineNo;
    ctx.table = table;
    if (start === 0 && isPlainAppend(tokens)) {
      // `-A CHAIN spec` without -t/-w, the common line: what runCommand does for it, directly.
      const chainToken = tokens[1] as Token;
      const draft = readRuleSpec(tokens, 2, ctx);
      if (draft) builder.addRule(tableDraft, chainToken.text, draft, at(lineNo, chainToken.column));
      continue;
    }
    // -t inside a table block is refused, as iptables-restore does (takeTable says why).
    runCommand(withCounters(tokens, start), 0, ctx);
  }
  if (table !== undefined) {
    diagnostics.push({
      severity: 'error',
      message: `table ${table} ends without COMMIT (truncated input?)`,
      expected: 'COMMIT',
      found: 'end of input',
      pos: at(first + index, 1),
    });
  }
  return builder.hasTables() ? builder.build() : undefined;
}

/**
 * A line runCommand would read as a plain `-A CHAIN spec` in the line's table: `-A` first (the
 * tokenizer's constant), a chain name, and no `-t`/`-w` word anywhere (takeTable's check).
 */
function isPlainAppend(tokens: readonly Token[]): boolean {
  if (tokens.length < 2 || (tokens[0] as Token).text !== '-A') return false;
  for (let i = 1; i < tokens.length; i++) {
    const text = (tokens[i] as Token).text;
    if (text === '-w' || text === '--wait' || text === '-t' || text === '--table') return false;
  }
  return true;
}

/** Turns a leading `[p:b]` into the `-c p b` option the rule reader understands. */
function withCounters(tokens: Token[], start: number): Token[] {
  if (start === 0) return tokens;
  const first = tokens[0] as Token;
  const [packets = '0', bytes = '0'] = first.text.slice(1, -1).split(':');
  const column = first.column;
  return [
    ...tokens.slice(start),
    { text: '-c', column, quoted: false },
    // As written, digits and all: the -c reader keeps counts above 2^53 exact.
    { text: packets, column, quoted: false },
    { text: bytes, column, quoted: false },
  ];
}

function chainLine(
  tokens: Token[],
  builder: RulesetBuilder,
  table: ReturnType<RulesetBuilder['table']>,
  pos: SourcePos,
  diagnostics: Diagnostic[],
  cache: SpecCache,
): void {
  const bare = (tokens[0]?.text ?? '').slice(1);
  // Not interned: the jumps to it take this very string from the table (SpecCache.chains).
  const name = bare;
  const policy = tokens[1]?.text;
  const chainCounters = tokens[2] ? counters(tokens[2], pos) : ZERO_COUNTERS;
  if (name === '' || policy === undefined) {
    diagnostics.push({
      severity: 'error',
      message: 'bad chain line',
      expected: ':CHAIN POLICY [PACKETS:BYTES]',
      found: tokens.map((t) => t.text).join(' '),
      pos,
    });
    return;
  }
  if (isDiagnostic(chainCounters)) {
    diagnostics.push(chainCounters);
    return;
  }
  if (!chainCounters) {
    diagnostics.push({
      severity: 'error',
      message: 'bad chain counters',
      expected: '[PACKETS:BYTES]',
      found: tokens[2]?.text,
      pos: { ...pos, column: tokens[2]?.column ?? 1 },
    });
    return;
  }
  declareChain(builder, table, name, policy, chainCounters, pos, cache);
}

/** The policy word `text[from..to)` of a chain line as a constant, if it is one of the three. */
function policyWord(text: string, from: number, to: number): string | undefined {
  const n = to - from;
  if (n === 1) return text.charCodeAt(from) === 45 /* - */ ? '-' : undefined;
  if (n === 6) return text.startsWith('ACCEPT', from) ? 'ACCEPT' : undefined;
  if (n === 4) return text.startsWith('DROP', from) ? 'DROP' : undefined;
  return undefined;
}

function declareChain(
  builder: RulesetBuilder,
  table: ReturnType<RulesetBuilder['table']>,
  name: string,
  policy: string,
  counters: Counters,
  pos: SourcePos,
  cache: SpecCache,
  at = -1,
): void {
  const before = table.chains.size;
  builder.declare(table, name, policy, counters, pos, true);
  // A new chain (not a built-in's policy, not a refused line): jumps to it find its name.
  if (table.chains.size > before) cache.chainNames.add(name, name, false, at);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
