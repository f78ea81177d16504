/**
 * `nfdb run --edit 'IPTABLES-ARGS' --set PATH=VALUE [--compare]`: the scenario with edits of a
 * host's rules and of the world, and the comparison of the two runs.
 */
import type { Scenario } from '../model/index.js';
import { editAsCommand, type HostEdit, parseEdit } from '../rules/edits/index.js';
import { diagnosticText } from '../rules/index.js';
import { COMPARISON_VERSION, type Comparison } from '../trace/diff/comparison.js';
import { diffTraces } from '../trace/diff/index.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { compareLines } from '../trace/words/diff.js';
import { applySet, parseSet } from '../world/set-path.js';
import { simulate } from '../world/simulate.js';
import { editScenario } from '../world/what-if.js';
import type { CommandContext } from './context.js';
import { rulesHost } from './user-scenario.js';
import { hasWhatIf, flagValues as values } from './what-if-flags.js';

export { hasWhatIf };

/**
 * `HOST: ARGS` names the host whose rules the edit changes; without it, the host that has
 * rules (the sidecar pod). Columns of errors count in the --edit value as given, prefix too.
 */
function readEdit(
  text: string,
  scenario: Scenario,
): { ok: true; edit: HostEdit } | { ok: false; message: string } {
  const prefix = /^\s*([A-Za-z0-9_.-]+):\s+/.exec(text);
  const host = prefix?.[1] ?? rulesHost(scenario)?.name;
  const args = text.slice(prefix?.[0].length ?? 0);
  const quoted = `--edit '${text}'`;
  if (host === undefined)
    return {
      ok: false,
      message: `${quoted}: no host of the scenario has rules; write 'HOST: ARGS'`,
    };
  if (!scenario.world.hosts.some((h) => h.name === host))
    return { ok: false, message: `${quoted}: no host "${host}" in the scenario` };
  const parsed = parseEdit(args, 'ipv4');
  if (parsed.ok) return { ok: true, edit: { host, edit: parsed.edit } };
  const offset = prefix?.[0].length ?? 0;
  const lines = parsed.diagnostics.map(
    (d) => `${quoted}:1:${d.pos.column + offset}: ${diagnosticText(d)}`,
  );
  return { ok: false, message: lines.join('\n') };
}

export type WhatIf =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      readonly edits: readonly HostEdit[];
      readonly sets: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/** The scenario with the --set values, then the --edit edits, in the order given. */
export function whatIf(ctx: CommandContext, scenario: Scenario): WhatIf {
  let edited = scenario;
  const sets = values(ctx.flags.set);
  for (const text of sets) {
    const parsed = parseSet(text);
    const done = parsed.ok ? applySet(edited, parsed.set) : parsed;
    if (!done.ok) return { ok: false, message: `--set ${text}: ${done.message}` };
    edited = done.scenario;
  }
  const edits: HostEdit[] = [];
  for (const text of values(ctx.flags.edit)) {
    const read = readEdit(text, edited);
    if (!read.ok) return read;
    edits.push(read.edit);
  }
  const applied = editScenario(edited, edits);
  if (!applied.ok) {
    const text = values(ctx.flags.edit)[edits.indexOf(applied.edit)];
    return { ok: false, message: `--edit '${text}' on ${applied.edit.host}: ${applied.message}` };
  }
  return { ok: true, scenario: applied.scenario, edits, sets };
}

/** What a what-if changed, a line each: `reviews: iptables -t nat -D …`, `--set …`. */
export function changeLines(after: WhatIf & { ok: true }): string[] {
  return [
    ...after.edits.flatMap((e) =>
      editAsCommand(e.edit)
        .split('\n')
        .map((c) => `${e.host}: ${c}`),
    ),
    ...after.sets.map((s) => `--set ${s}`),
  ];
}

/** The two runs compared, as data (`--json`). */
export function comparison(
  before: Scenario,
  after: WhatIf & { ok: true },
): {
  data: Comparison;
  lines: string[];
} {
  const original = simulate(before);
  const edited = simulate(after.scenario);
  const rules = {
    before: ruleLookup(before.world.hosts),
    after: ruleLookup(after.scenario.world.hosts),
  };
  const diff = diffTraces(original, edited, rules);
  const edits = after.edits.map((e) => ({ host: e.host, command: editAsCommand(e.edit) }));
  const data: Comparison = {
    version: COMPARISON_VERSION,
    scenario: before.world.name,
    edits,
    sets: after.sets,
    diff,
  };
  const lines = [
    `What if, on ${before.world.name}:`,
    ...changeLines(after).map((c) => `  ${c}`),
    ...compareLines(diff, original, edited, rules),
  ];
  return { data, lines };
}
