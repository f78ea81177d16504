/**
 * The Istio sidecar's nat table for the edit tests, and short ways to read a chain back.
 * Test code only; nothing in the program imports it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  findChain,
  findTable,
  type Rule,
  type Ruleset,
  type TableName,
} from '../../model/index.js';
import { ruleSpecText } from '../save.js';
import { ruleset } from '../test-helpers.js';
import { parseEdit } from './parse.js';
import type { Edit } from './types.js';

export const sidecar: Ruleset = ruleset(
  readFileSync(
    fileURLToPath(new URL('../../../snapshots/rules/istio-sidecar.rules', import.meta.url)),
    'utf8',
  ),
);

export function rulesOf(r: Ruleset, chain: string, table: TableName = 'nat'): readonly Rule[] {
  const t = findTable(r, table);
  const c = t && findChain(t, chain);
  if (!c) throw new Error(`no chain ${chain}`);
  return c.rules;
}

/** `id spec` a rule, for comparing a chain at a glance. */
export function chainText(r: Ruleset, chain: string): string[] {
  return rulesOf(r, chain).map((rule) => `${rule.id} ${ruleSpecText(rule)}`);
}

/** The edit the text makes; throws when it does not parse. */
export function edit(text: string): Edit {
  const parsed = parseEdit(text, 'ipv4');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.edit;
}
