/**
 * parseRules: any text a user brings, in any format nfdb reads, to Rulesets and diagnostics.
 * It never throws for bad input: every problem is a Diagnostic with file:line:column.
 */

import type {
  Backend,
  Diagnostic,
  Family,
  InputFormat,
  ParseResult,
  Ruleset,
  TableName,
} from '../model/index.js';
import { isTableName } from './commands.js';
import type { HostNames } from './host-names.js';
import { parseIstioGolden } from './istio-format.js';
import { parseCommandLines } from './lines-format.js';
import { parseListingLines } from './listing-format.js';
import { parseNftJson } from './nft/json.js';
import { parseNftText } from './nft/script.js';
import { parseSaveText } from './save-format.js';
import { tableOfLines } from './table-of-lines.js';
import { validate } from './validate.js';

export type { ParseResult } from '../model/index.js';
export { type HostNames, readResolve } from './host-names.js';
export { ruleSpecText, toIptablesSave } from './save.js';

export interface ParseOptions {
  readonly file: string;
  readonly format?: InputFormat;
  readonly table?: TableName;
  readonly family?: Family;
  /**
   * The iptables that loads the text (see Backend): which built-in chains exist and count.
   * When not said: the program a command line names (`iptables-legacy`), else nft.
   */
  readonly backend?: Backend;
  /** Addresses for host names (`--resolve NAME=ADDR`); the loopback's names are known anyway. */
  readonly hosts?: HostNames;
}

/** The parser's own error type, for callers that want to throw on a failed load. */
export class RulesError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'RulesError';
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.pos.file}:${d.pos.line}:${d.pos.column}: ${diagnosticText(d)}`;
}

/** A diagnostic without its position: `error: message (expected …, found "…")`. */
export function diagnosticText(d: Diagnostic): string {
  const detail =
    d.expected !== undefined
      ? ` (expected ${d.expected}${d.found !== undefined ? `, found ${foundText(d.found)}` : ''})`
      : '';
  return `${d.severity}: ${cutText(d.message, MESSAGE_MAX)}${detail}`;
}

/** Longer than this, a found text or a message is cut: a 50 MB comment is not a 50 MB line. */
const FOUND_MAX = 120;
const MESSAGE_MAX = 600;

/** `text`, or its start with an ellipsis and how long it was. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters in all)`;
}

/** Characters a terminal shows as nothing, named so that an error about them can be read. */
const INVISIBLE = /[\u00a0\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;

/** The found text quoted, invisible characters written as \uXXXX, cut when long. */
function foundText(found: string): string {
  const cut = found.length > FOUND_MAX ? found.slice(0, FOUND_MAX) : found;
  const quoted = JSON.stringify(cut).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (cut === found) return quoted;
  return `${quoted.slice(0, -1)}…" (${found.length.toLocaleString('en-US')} characters in all)`;
}

export const FORMATS: readonly InputFormat[] = [
  'iptables-save',
  'iptables-S',
  'commands',
  'istio-golden',
  'listing',
  'nft',
  'nft-json',
];

/** The first line of an nft script or listing: a command on an nft object, or a table block. */
const NFT_LINE =
  /^((add|create|insert|replace|delete|destroy|flush) (table|chain|rule|set|map|element|ruleset)\b|table (ip|ip6|inet|arp|bridge|netdev) \S+ \{|flush ruleset$)/;

/** Guesses the format from the first meaningful lines. */
export function detectFormat(lines: readonly string[]): InputFormat {
  for (const raw of lines.slice(0, 200)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('{') && lines.join('\n').includes('"nftables"')) return 'nft-json';
    if (NFT_LINE.test(line)) return 'nft';
    if (line === 'iptables-save' || line === 'ip6tables-save' || line.startsWith('* '))
      return 'istio-golden';
    if (line.startsWith('*')) return 'iptables-save';
    if (/^Chain \S+ \((policy|\d+ references)/.test(line)) return 'listing';
    if (/^(sudo )?(\S*\/)?ip6?tables(-nft|-legacy)? /.test(line)) return 'commands';
    if (/^-[PNA] /.test(line)) return 'iptables-S';
  }
  return 'iptables-save';
}

/** `x.nat.rules` → nat; `ip6`, `ipv6`, `-v6` in the name → IPv6. */
export function hintsFromName(file: string): { table?: TableName; family: Family } {
  const base = file.split('/').pop() ?? file;
  const table = /\.(raw|mangle|nat|filter|security)\.[a-z]+$/.exec(base)?.[1];
  const family: Family = /ip6|ipv6|-v6/i.test(base) ? 'ipv6' : 'ipv4';
  return { table: table && isTableName(table) ? table : undefined, family };
}

/**
 * The family most of the rules' addresses are in (the first to lead by 50 decides, so a large
 * dump is not read to its end): one IPv6 address in an IPv4 file is then the line reported
 * wrong, instead of every IPv4 line.
 */
function familyFromText(text: string, fallback: Family): Family {
  if (fallback === 'ipv6') return 'ipv6';
  const address = /\s(?:-s|-d|--source|--destination)\s+!?\s*([0-9a-fA-F.:]+)(?:\/\d+)?\s/g;
  let lead = 0;
  let first: Family | undefined;
  for (const m of text.matchAll(address)) {
    const family: Family = (m[1] ?? '').includes(':') ? 'ipv6' : 'ipv4';
    first ??= family;
    lead += family === 'ipv6' ? 1 : -1;
    if (Math.abs(lead) >= 50) break;
  }
  if (lead === 0) return first ?? 'ipv4';
  return lead > 0 ? 'ipv6' : 'ipv4';
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function read(
  text: string,
  options: ParseOptions,
  format: InputFormat,
  diagnostics: Diagnostic[],
): Ruleset[] {
  const hints = hintsFromName(options.file);
  const family = options.family ?? familyFromText(text, hints.family);
  switch (format) {
    case 'iptables-save': {
      // Read line by line: a large dump is not split into an array of lines first.
      const r = parseSaveText(
        text,
        { file: options.file, family, backend: options.backend, hosts: options.hosts },
        diagnostics,
      );
      return r ? [r] : [];
    }
    case 'istio-golden':
      return parseIstioGolden(splitLines(text), options.file, diagnostics, options.backend);
    case 'iptables-S':
    case 'commands': {
      const lines = splitLines(text);
      const table =
        options.table ??
        hints.table ??
        (format === 'iptables-S' ? guessTable(lines, options.file, diagnostics) : undefined);
      return parseCommandLines(
        lines,
        {
          file: options.file,
          family,
          table,
          commands: format === 'commands',
          backend: options.backend,
          hosts: options.hosts,
        },
        diagnostics,
      );
    }
    case 'nft':
    case 'nft-json':
      return [];
    case 'listing':
      return parseListingLines(
        splitLines(text),
        {
          file: options.file,
          table: options.table ?? hints.table,
          family: options.family,
          familyHint: hints.family,
          backend: options.backend,
          hosts: options.hosts,
        },
        diagnostics,
      );
  }
}

/** The table of `-S` lines that do not say it: from their targets or chains, with a warning. */
function guessTable(lines: readonly string[], file: string, diagnostics: Diagnostic[]): TableName {
  const guess = tableOfLines(lines);
  diagnostics.push({
    severity: 'warning',
    message: guess
      ? `this "iptables -S" output does not say its table: taking ${guess.table}, from line ${guess.line} (${guess.why})`
      : 'the table of this "iptables -S" output is not known: taking filter',
    expected: '--table NAME or a file name like x.nat.rules',
    pos: guess ? { file, line: guess.line, column: guess.column } : { file, line: 1, column: 1 },
  });
  return guess?.table ?? 'filter';
}

/** Whether a text read as UTF-8 is binary data: a NUL, or control bytes in one char of 20. */
export function isBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 || c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) control++;
  }
  return control > 0 && control * 20 > sample.length ? true : sample.includes('\u0000');
}

export function parseRules(given: string, options: ParseOptions): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const start = { file: options.file, line: 1, column: 1 };
  const text = withoutEncodingMarks(given, options.file, diagnostics);
  const format = options.format ?? detectFormat(text.slice(0, 65536).split('\n'));
  if (text.trim() === '') {
    diagnostics.push({
      severity: 'error',
      message: 'the input is empty',
      expected: 'a ruleset',
      found: 'nothing',
      pos: start,
    });
    return { format, rulesets: [], diagnostics };
  }
  if (isBinary(text)) {
    diagnostics.push({
      severity: 'error',
      message: 'the input is binary, not text',
      expected: 'a ruleset in text form',
      found: 'binary data',
      pos: start,
    });
    return { format, rulesets: [], diagnostics };
  }
  if (format === 'nft' || format === 'nft-json') {
    const nft =
      format === 'nft'
        ? parseNftText(text, options.file, diagnostics)
        : parseNftJson(text, options.file, diagnostics);
    diagnostics.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
    if (nft.tables.length === 0 && !diagnostics.some((d) => d.severity === 'error'))
      diagnostics.push({
        severity: 'error',
        message: 'no table found in the input',
        expected: 'an nft ruleset',
        found: 'no tables',
        pos: start,
      });
    return { format, rulesets: [], nft, diagnostics };
  }
  const rulesets = read(text, options, format, diagnostics);
  // The load-time checks run on what did parse, errors or not, so that `nfdb check` lists every
  // problem at once (iptables-restore stops at the first).
  for (const r of rulesets) diagnostics.push(...validate(r));
  if (rulesets.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({
      severity: 'error',
      message: 'no table found in the input',
      expected: 'a ruleset',
      found: 'no rules',
      pos: start,
    });
  }
  return { format, rulesets, diagnostics };
}

/**
 * A byte order mark and Windows line ends are what editors add, not what the rules say: nfdb
 * reads the text without them and warns, once each, since iptables-restore refuses such a file
 * at line 1 (`dos2unix` or a save without BOM gives one it takes).
 */
function withoutEncodingMarks(text: string, file: string, diagnostics: Diagnostic[]): string {
  let out = text;
  if (out.charCodeAt(0) === 0xfeff) {
    out = out.slice(1);
    diagnostics.push({
      severity: 'warning',
      message:
        'the file starts with a UTF-8 byte order mark (U+FEFF): nfdb skips it, iptables-restore refuses line 1',
      pos: { file, line: 1, column: 1 },
    });
  }
  const crlf = out.indexOf('\r\n');
  if (crlf >= 0) {
    const line = countLines(out, crlf);
    out = out.replace(/\r\n/g, '\n');
    diagnostics.push({
      severity: 'warning',
      message:
        'Windows line ends (CRLF): nfdb reads them as plain line ends, iptables-restore refuses the file (dos2unix converts it)',
      pos: { file, line, column: 1 },
    });
  }
  return out;
}

/** The 1-based line of offset `at`. */
function countLines(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
