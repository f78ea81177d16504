/**
 * Reads a scenario file: JSON with a line and column on a syntax error, the schema's exact field
 * path on a wrong value, and each host's rules from inline text or a file next to the scenario.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Loaded, type ReadRules, toScenario, validateScenario } from '../world/from-file.js';

function lineCol(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

export function parseJson(
  text: string,
  file: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? lineCol(text, Number(at[1])) : lineCol(text, text.length);
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { ok: false, error: `${file}:${where}: not valid JSON: ${what}` };
  }
}

export function loadScenarioText(text: string, file: string): Loaded {
  const json = parseJson(text, file);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const valid = validateScenario(json.value, file);
  if (!valid.ok) return { ok: false, errors: valid.errors };
  const base = dirname(resolve(file));
  const read: ReadRules = (host, which) => {
    const given = host[which];
    if (given === undefined) return undefined;
    if (typeof given === 'string') return { text: given, file: `${file}#${host.name}.${which}` };
    const path = resolve(base, given.file);
    try {
      return { text: readFileSync(path, 'utf8'), file: given.file };
    } catch {
      return `cannot read ${given.file} (${path})`;
    }
  };
  return toScenario(valid.value, read);
}

export async function readScenario(file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [`${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : code}`],
    };
  }
  return loadScenarioText(text, file);
}
