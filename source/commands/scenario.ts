/**
 * Picks the scenario a command works on: a scenario or snapshot file argument, a snapshot by
 * name (--open), the preferred default scenario, or the built-in bookinfo one.
 */
import { preferencesMention } from '../io/preferences-path.js';
import { readRulesText } from '../io/read-rules.js';
import type { Backend, Scenario } from '../model/index.js';
import { isBinary } from '../rules/index.js';
import { withProxyMode } from '../world/proxy-mode.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import type { SnapshotFile } from '../world/snapshot-schema.js';
import type { Session } from '../world/what-if-session.js';
import { type CommandContext, EXIT_MISUSE, maxSize } from './context.js';

const MAX_PRINTED = 200;

export type Picked =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      /** The snapshot it came from (a scenario file is a version 0 one), with its file. */
      readonly snapshot?: SnapshotFile;
      readonly file?: string;
      /** The snapshot's edits as a what-if on its scenario as written (the UI undoes them). */
      readonly whatIf?: Session;
    }
  | { readonly ok: false; readonly code: number };

/*
 * The snapshot reader and store, and the preferences, are loaded when a file, --open or a
 * default scenario in the preferences asks for them: they bring the schemas (zod) and the store (conf), which the
 * built-in scenario does not need and which were a third of `nfdb run`'s start-up.
 */
const snapshotStore = () => import('../io/snapshot-store.js');

/** The file to read: the argument, --open's snapshot, or the preferred default. */
async function fileToRead(ctx: CommandContext): Promise<{ file?: string } | { code: number }> {
  const [file, ...extra] = ctx.args;
  if (extra.length > 0) {
    ctx.stderr.write(`nfdb: one scenario at a time, got ${ctx.args.length}\n`);
    return { code: 2 };
  }
  const open = ctx.flags.open;
  if (typeof open === 'string') {
    if (file !== undefined) {
      ctx.stderr.write(`nfdb: --open ${open} and ${file}: one scenario at a time\n`);
      return { code: 2 };
    }
    const found = (await snapshotStore()).findSnapshot(open);
    if (!found.ok) {
      ctx.stderr.write(`nfdb: --open: ${found.message}\n`);
      return { code: 1 };
    }
    return { file: found.path };
  }
  if (file !== undefined) return { file };
  if (!preferencesMention('defaultScenario')) return {};
  const { preferences } = (await import('../io/preferences.js')).loadPreferences();
  if (preferences.defaultScenario === undefined) return {};
  const found = (await snapshotStore()).findSnapshot(preferences.defaultScenario);
  if (found.ok) return { file: found.path };
  ctx.stderr.write(
    `nfdb: preferences: defaultScenario: ${found.message}; using the built-in one\n`,
  );
  return {};
}

export async function pickScenario(ctx: CommandContext): Promise<Picked> {
  const which = await fileToRead(ctx);
  if ('code' in which) return { ok: false, code: which.code };
  const { file } = which;
  let scenario: Scenario;
  let snapshot: SnapshotFile | undefined;
  let whatIf: Session | undefined;
  if (file === undefined) {
    scenario = bookinfoScenario();
  } else {
    if (await isRuleset(file, ctx)) {
      ctx.stderr.write(
        `nfdb: ${file} is not a scenario (JSON): did you mean --rules ${file}? (see nfdb help)\n`,
      );
      return { ok: false, code: EXIT_MISUSE };
    }
    const { readSnapshot } = await import('../io/read-snapshot.js');
    const loaded = await readSnapshot(file, ctx.flags.backend as Backend | undefined, maxSize(ctx));
    if (!loaded.ok) {
      // As check does: the first errors say what is wrong; thousands more only bury them.
      for (const e of loaded.errors.slice(0, MAX_PRINTED)) ctx.stderr.write(`${e}\n`);
      if (loaded.errors.length > MAX_PRINTED)
        ctx.stderr.write(`... and ${loaded.errors.length - MAX_PRINTED} more errors\n`);
      return { ok: false, code: 1 };
    }
    for (const w of loaded.warnings) ctx.stderr.write(`${w}\n`);
    scenario = loaded.scenario;
    snapshot = loaded.snapshot;
    // The flags set the scenario the edits are made on, as they set the edited one.
    whatIf = { ...loaded.whatIf, base: withSettingFlags(ctx, loaded.whatIf.base) };
  }
  scenario = withSettingFlags(ctx, scenario);
  return {
    ok: true,
    scenario,
    ...(snapshot && file !== undefined ? { snapshot, file, whatIf } : {}),
  };
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
