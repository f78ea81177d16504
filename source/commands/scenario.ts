/** Picks the scenario a command works on: a file argument, or the built-in bookinfo one. */
import { readScenario } from '../io/read-scenario.js';
import type { Backend, Scenario } from '../model/index.js';
import { withProxyMode } from '../world/proxy-mode.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { type CommandContext, maxSize } from './context.js';

const MAX_PRINTED = 200;

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
    const loaded = await readScenario(file, ctx.flags.backend as Backend | undefined, maxSize(ctx));
    if (!loaded.ok) {
      // As check does: the first errors say what is wrong; thousands more only bury them.
      for (const e of loaded.errors.slice(0, MAX_PRINTED)) ctx.stderr.write(`${e}\n`);
      if (loaded.errors.length > MAX_PRINTED)
        ctx.stderr.write(`... and ${loaded.errors.length - MAX_PRINTED} more errors\n`);
      return { ok: false, code: 1 };
    }
    for (const w of loaded.warnings) ctx.stderr.write(`${w}\n`);
    scenario = loaded.scenario;
  }
  const seed = ctx.flags.seed;
  if (typeof seed === 'number')
    scenario = {
      ...scenario,
      world: { ...scenario.world, settings: { ...scenario.world.settings, seed } },
    };
  return { ok: true, scenario };
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
