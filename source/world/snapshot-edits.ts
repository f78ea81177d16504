/**
 * A snapshot's what-if edits, read as iptables commands and applied in order to the scenario it
 * holds, the way `nfdb run --edit` applies them. Each error names the edit by its place in the
 * list.
 */
import type { Scenario } from '../model/index.js';
import { type HostEdit, parseEdit } from '../rules/edits/index.js';
import { diagnosticText } from '../rules/index.js';
import type { SnapshotEdit } from './snapshot-schema.js';
import { editScenario } from './what-if.js';

export type Edited =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly errors: readonly string[] };

export function applySnapshotEdits(
  scenario: Scenario,
  edits: readonly SnapshotEdit[],
  file: string,
): Edited {
  const errors: string[] = [];
  const read: HostEdit[] = [];
  edits.forEach((e, i) => {
    const parsed = parseEdit(e.command, 'ipv4');
    if (parsed.ok) read.push({ host: e.host, edit: parsed.edit });
    else
      for (const d of parsed.diagnostics.filter((d) => d.severity === 'error'))
        errors.push(`${file}: edits[${i}].command: column ${d.pos.column}: ${diagnosticText(d)}`);
  });
  if (errors.length > 0) return { ok: false, errors };
  const applied = editScenario(scenario, read);
  if (applied.ok) return { ok: true, scenario: applied.scenario };
  const at = read.indexOf(applied.edit);
  return {
    ok: false,
    errors: [`${file}: edits[${at}] (on host "${applied.edit.host}"): ${applied.message}`],
  };
}
