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
  type RulesText,
  toScenario,
  validateScenario,
} from '../world/from-file.js';
import { escapeText, excerptAt, findJsonError, lineColumn } from './json-error.js';
import { cannotRead, whyUnreadable } from './read-error.js';
import { readUserText, readUserTextSync } from './shipped.js';

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
 */
function inlineLocator(
  text: string,
  value: string,
): ((line: number, column: number) => { line: number; column: number }) | undefined {
  const literal = JSON.stringify(value);
  const start = text.indexOf(literal);
  if (start < 0 || text.indexOf(literal, start + 1) >= 0) return undefined;
  const lineStarts = [0];
  for (let k = 0; k < value.length; k++) if (value[k] === '\n') lineStarts.push(k + 1);
  return (line, column) => {
    const offset = Math.min((lineStarts[line - 1] ?? value.length) + column - 1, value.length);
    // Raw offset: the opening quote plus each decoded character's escaped length before offset.
    let raw = start + 1;
    for (let k = 0; k < offset; k++) raw += JSON.stringify(value[k]).length - 2;
    return lineColumn(text, raw);
  };
}

export function loadScenarioText(text: string, file: string, backend?: Backend): Loaded {
  const json = parseJson(text, file);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const valid = validateScenario(json.value, file);
  if (!valid.ok) return { ok: false, errors: valid.errors };
  const base = dirname(resolve(file));
  const readErrors: string[] = [];
  const texts = new Map<string, RulesText>();
  valid.value.hosts.forEach((host, index) => {
    for (const which of ['rules', 'rules6'] as const) {
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
        texts.set(key, { text: readUserTextSync(path), file: shown(path) });
      } catch (error) {
        readErrors.push(
          `${file}: hosts[${index}].${which}.file: cannot read ${shown(path)}: ${whyUnreadable(error)}`,
        );
      }
    }
  });
  const read: ReadRules = (host, which) => {
    const index = valid.value.hosts.indexOf(host);
    return texts.get(`${index}.${which}`);
  };
  const loaded = toScenario(valid.value, read, file, backend);
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

export async function readScenario(file: string, backend?: Backend): Promise<Loaded> {
  let text: string;
  try {
    text = await readUserText(file);
  } catch (error) {
    return { ok: false, errors: [cannotRead(file, error)] };
  }
  return loadScenarioText(text, file, backend);
}
