/**
 * `--rules FILE`: the user's ruleset placed in the scenario's sidecar pod instead of the one it
 * has (the UI and `nfdb run`).
 */
import { readRulesText } from '../io/read-rules.js';
import type { Ruleset, Scenario } from '../model/index.js';
import { formatDiagnostic, parseRules } from '../rules/index.js';
import type { CommandContext } from './context.js';

/**
 * The host whose rules --rules replaces: the first with a ruleset. In the built-in scenario only
 * the sidecar pod (reviews) has rules; the others are plain pods the traffic starts and ends in.
 */
export function rulesHost(scenario: Scenario) {
  return scenario.world.hosts.find((h) => h.rulesets.length > 0);
}

/** How the rules were loaded, for the scenario's name: ` (as iptables-nft loads it)`. */
function loadedAs(rulesets: readonly Ruleset[]): string {
  const backends = [...new Set(rulesets.map((r) => r.backend ?? 'legacy'))];
  return backends.length > 0
    ? ` (as ${backends.map((b) => `iptables-${b}`).join(' and ')} loads it)`
    : '';
}

/** The sidecar pod of the scenario gets the user's rules instead of the blog's. */
export async function withRules(ctx: CommandContext, scenario: Scenario, file: string) {
  const target = rulesHost(scenario);
  if (!target) {
    ctx.stderr.write(`nfdb: --rules ${file}: no host of the scenario has rules to replace\n`);
    return undefined;
  }
  const read = await readRulesText(file, ctx.stdin);
  if (!read.ok) {
    ctx.stderr.write(`${read.message}\n`);
    return undefined;
  }
  const parsed = parseRules(read.text, {
    file,
    format: ctx.flags.format as never,
    table: ctx.flags.table as never,
    backend: ctx.flags.backend as never,
  });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  for (const d of parsed.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
  if (errors.length > 0) return undefined;
  const hosts = scenario.world.hosts.map((h) =>
    h === target ? { ...h, rulesets: parsed.rulesets } : h,
  );
  const world = {
    ...scenario.world,
    name: `${file}${loadedAs(parsed.rulesets)} in the ${target.name} sidecar pod`,
    hosts,
  };
  // The warnings go to stderr here and to the UI's findings from the caller.
  return { scenario: { ...scenario, world }, diagnostics: parsed.diagnostics };
}
