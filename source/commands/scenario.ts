/** Picks the scenario a command works on: a file argument, or the built-in bookinfo one. */
import { readRulesText } from '../io/read-rules.js';
import { readScenario } from '../io/read-scenario.js';
import type { Backend, Scenario } from '../model/index.js';
import { isBinary } from '../rules/index.js';
import { withProxyMode } from '../world/proxy-mode.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { type CommandContext, EXIT_MISUSE } from './context.js';

export async function pickScenario(
  ctx: CommandContext,
): Promise<{ ok: true; scenario: Scenario } | { ok: false; code: number }> {
  const [file, ...extra] = ctx.args;
  if (extra.length > 0) {
    ctx.stderr.write(`nfdb: one scenario at a time, got ${ctx.args.length}\n`);
    return { ok: false, code: 2 };
  }
  let scenario: Scenario;
  if (file === undefined) {
    scenario = bookinfoScenario();
  } else {
    if (await isRuleset(file, ctx)) {
      ctx.stderr.write(
        `nfdb: ${file} is not a scenario (JSON): did you mean --rules ${file}? (see nfdb help)\n`,
      );
      return { ok: false, code: EXIT_MISUSE };
    }
    const loaded = await readScenario(file, ctx.flags.backend as Backend | undefined);
    if (!loaded.ok) {
      for (const e of loaded.errors) ctx.stderr.write(`${e}\n`);
      return { ok: false, code: 1 };
    }
    for (const w of loaded.warnings) ctx.stderr.write(`${w}\n`);
    scenario = loaded.scenario;
  }
  return { ok: true, scenario: withSettingFlags(ctx, scenario) };
}

/** --seed and --unknown-match over the scenario's settings (checkFlags has checked them). */
function withSettingFlags(ctx: CommandContext, scenario: Scenario): Scenario {
  const { seed, unknownMatch } = ctx.flags;
  const settings = {
    ...scenario.world.settings,
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof unknownMatch === 'string'
      ? { unknownMatch: unknownMatch as Scenario['world']['settings']['unknownMatch'] }
      : {}),
  };
  return { ...scenario, world: { ...scenario.world, settings } };
}

/**
 * A file given where a scenario goes that is no JSON: a ruleset, meant for --rules. A scenario
 * is a JSON object; a `.json` name is always read as one (and its errors said as JSON's).
 */
async function isRuleset(file: string, ctx: CommandContext): Promise<boolean> {
  if (file.endsWith('.json')) return false;
  const read = await readRulesText(file, ctx.stdin);
  return read.ok && !/^\s*(\{|$)/.test(read.text) && !isBinary(read.text);
}

/**
 * `--proxy-mode`, applied last (after --rules renames the world), so the world's name keeps
 * saying that its envoys rewrite.
 */
export function withProxyModeFlag(ctx: CommandContext, scenario: Scenario): Scenario {
  // checkFlags let through terminate or rewrite only.
  const mode = ctx.flags.proxyMode;
  return mode === 'terminate' || mode === 'rewrite' ? withProxyMode(scenario, mode) : scenario;
}
