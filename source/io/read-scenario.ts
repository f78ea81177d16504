/**
 * Reads a scenario file: JSON with a line and column on a syntax error, the schema's exact field
 * path on a wrong value, and each host's rules from inline text or a file next to the scenario.
 * Every error names the scenario file; an error in inline rules points into the JSON file.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Backend, Diagnostic } from '../model/index.js';
import { diagnosticText, isBinary } from '../rules/index.js';
import {
  type Loaded,
  type ReadRules,
  RULE_FIELDS,
  type RulesText,
  toScenario,
  validateScenario,
} from '../world/from-file.js';
import type { ScenarioFile } from '../world/scenario-schema.js';
import { escapeText, excerptAt, findJsonError, lineColumn } from './json-error.js';
import { cannotRead, whyUnreadable } from './read-error.js';
import { DEFAULT_MAX_SIZE } from './read-limited.js';
import { readUserTextSync } from './shipped.js';

export function parseJson(
  text: string,
  file: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (isBinary(text))
      return { ok: false, error: `${file}:1:1: not valid JSON: the input is binary, not text` };
    const found = findJsonError(text);
    // Our scanner and JSON.parse agree on what is valid; the message's position is a fallback.
    const at = /at position (\d+)/.exec((error as Error).message);
    const position = found?.position ?? (at ? Number(at[1]) : text.length);
    const { line, column } = lineColumn(text, position);
    const what = found
      ? `expected ${found.expected}, found ${excerptAt(text, position)}`
      : `found ${excerptAt(text, position)}`;
    return { ok: false, error: `${file}:${line}:${column}: not valid JSON: ${what}` };
  }
}

/** How a path is shown: relative to the working directory when it is below it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Maps a position inside an inline rules string back to the JSON file, when the string's
 * literal can be found there as JSON.stringify writes it (the usual case). Undefined otherwise.
 * Linear in all: where each line of the rules starts in the file is found in one pass, and a
 * position is found from the start of its line (8,000 errors took two minutes when each was
 * found from the start of the file).
 */
function inlineLocator(
  text: string,
  value: string,
): ((line: number, column: number) => { line: number; column: number }) | undefined {
  const literal = JSON.stringify(value);
  const start = text.indexOf(literal);
  if (start < 0 || text.indexOf(literal, start + 1) >= 0) return undefined;
  // Per line of the value: its offset in the value, and in the file (escapes are longer).
  const valueStarts = [0];
  const rawStarts = [start + 1];
  let raw = start + 1;
  for (let k = 0; k < value.length; k++) {
    raw += escapedLength(value.charCodeAt(k));
    if (value.charCodeAt(k) === 10) {
      valueStarts.push(k + 1);
      rawStarts.push(raw);
    }
  }
  const fileLines = lineStarts(text);
  return (line, column) => {
    const row = Math.min(Math.max(line, 1), valueStarts.length) - 1;
    const from = valueStarts[row] as number;
    const offset = Math.min(from + column - 1, value.length);
    let at = rawStarts[row] as number;
    for (let k = from; k < offset; k++) at += escapedLength(value.charCodeAt(k));
    return positionIn(fileLines, at);
  };
}

/** How many characters JSON.stringify writes for one UTF-16 unit inside a string. */
function escapedLength(c: number): number {
  if (c === 34 || c === 92 || c === 8 || c === 9 || c === 10 || c === 12 || c === 13) return 2;
  if (c < 0x20) return 6;
  // A lone surrogate is escaped by JSON.stringify (well-formed stringify); a pair is kept.
  return 1;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line and column of `offset`, by binary search of the line starts. */
function positionIn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
}

export function loadScenarioText(
  text: string,
  file: string,
  backend?: Backend,
  maxBytes = DEFAULT_MAX_SIZE,
): Loaded {
  const json = parseJson(text, file);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const valid = validateScenario(json.value, file);
  if (!valid.ok) return { ok: false, errors: valid.errors };
  return loadScenarioFile(valid.value, text, file, backend, maxBytes);
}

/**
 * Reads each host's rules files (relative to `file`) and builds the scenario: the second half of
 * loading, shared with snapshots. `text` is the file's JSON, where inline rules errors point.
 */
export function loadScenarioFile(
  scenario: ScenarioFile,
  text: string,
  file: string,
  backend?: Backend,
  maxBytes = DEFAULT_MAX_SIZE,
): Loaded {
  const base = dirname(resolve(file));
  const readErrors: string[] = [];
  const texts = new Map<string, RulesText>();
  scenario.hosts.forEach((host, index) => {
    for (const which of RULE_FIELDS) {
      const given = host[which];
      if (given === undefined) continue;
      const key = `${index}.${which}`;
      if (typeof given === 'string') {
        const field = `hosts[${index}].${which} (host "${escapeText(host.name)}")`;
        texts.set(key, {
          text: given,
          file: `${file}#hosts[${index}].${which}`,
          format: inlineFormat(file, text, given, field),
        });
        continue;
      }
      const path = resolve(base, given.file);
      try {
        texts.set(key, { text: readUserTextSync(path, maxBytes), file: shown(path) });
      } catch (error) {
        readErrors.push(
          `${file}: hosts[${index}].${which}.file: cannot read ${shown(path)}: ${whyUnreadable(error)}`,
        );
      }
    }
  });
  const read: ReadRules = (host, which) => {
    const index = scenario.hosts.indexOf(host);
    return texts.get(`${index}.${which}`);
  };
  const loaded = toScenario(scenario, read, file, backend);
  if (readErrors.length > 0 || !loaded.ok)
    return { ok: false, errors: [...readErrors, ...(loaded.ok ? [] : loaded.errors)] };
  return loaded;
}

/**
 * How a diagnostic of rules given inline in the scenario is written: at its position in the JSON
 * file when the inline text can be found there, with the host and the position within the text.
 */
function inlineFormat(
  file: string,
  text: string,
  inline: string,
  field: string,
): (d: Diagnostic) => string {
  // Found on the first diagnostic: a clean load never searches the file for the text.
  let toJson: ReturnType<typeof inlineLocator> | null = null;
  return (d) => {
    if (toJson === null) toJson = inlineLocator(text, inline);
    const message = diagnosticText(d);
    const inText = `line ${d.pos.line} column ${d.pos.column} of the inline rules`;
    const at = toJson?.(d.pos.line, d.pos.column);
    return at
      ? `${file}:${at.line}:${at.column}: ${message} [${field}, ${inText}]`
      : `${file}: ${field}: ${inText}: ${message}`;
  };
}

export async function readScenario(
  file: string,
  backend?: Backend,
  maxBytes = DEFAULT_MAX_SIZE,
): Promise<Loaded> {
  let text: string;
  try {
    text = readUserTextSync(file, maxBytes);
  } catch (error) {
    return { ok: false, errors: [cannotRead(file, error)] };
  }
  return loadScenarioText(text, file, backend, maxBytes);
}
