/**
 * The default mode: the stepping UI on a scenario (built-in bookinfo, a scenario file, or
 * `--rules FILE` placed in the sidecar pod). Without a terminal, or with --no-tui, it prints what
 * `nfdb run` prints. The alternate screen is left again on exit, Ctrl-C and crash.
 */
import { resolve } from 'node:path';
import { render } from 'ink';
import { rememberRecent } from '../io/preferences.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { walkthrough } from '../trace/walkthrough.js';
import { Investigations } from '../ui/snapshot/Investigations.js';
import { setTheme } from '../ui/theme.js';
import { simulate } from '../world/simulate.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { uiPreferences } from './preferences.js';
import { proxyText } from './run.js';
import { withProxyModeFlag } from './scenario.js';
import { investigationOf, library, snapshotBase } from './tui-snapshots.js';
import { userScenario } from './user-scenario.js';

const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export async function tuiCommand(ctx: CommandContext): Promise<number> {
  const picked = await userScenario(ctx);
  if (!picked.ok) return picked.code;
  const { proxyLines, diagnostics } = picked;
  const scenario = withProxyModeFlag(ctx, picked.scenario);
  const trace = simulate(scenario);
  const step = ctx.flags.step;
  const last = trace.steps.length - 1;
  if (typeof step === 'number' && step > last) {
    ctx.stderr.write(`nfdb: --step ${step}: the trace has steps 0 to ${last}\n`);
    return EXIT_MISUSE;
  }
  const saved = picked.snapshot?.cursor.step ?? 0;
  if (saved > last) {
    ctx.stderr.write(
      `${picked.file}: cursor.step: ${saved} is past the trace's last step ${last}\n`,
    );
    return EXIT_BAD_INPUT;
  }
  if (ctx.flags.tui === false || !ctx.stdout.isTTY || !ctx.stdin.isTTY) {
    ctx.stdout.write(proxyText(proxyLines));
    ctx.stdout.write(walkthrough(trace, { rules: ruleLookup(scenario.world.hosts) }));
    return EXIT_OK;
  }
  if (picked.file !== undefined) rememberRecent(resolve(picked.file));
  const preferences = uiPreferences();
  for (const w of preferences.warnings) ctx.stderr.write(`${w}\n`);
  setTheme(preferences.theme);
  const base = await snapshotBase(ctx, picked.file);
  const first = investigationOf(scenario, trace, base, picked.snapshot);
  const leave = () => ctx.stdout.write(LEAVE);
  ctx.stdout.write(ENTER);
  process.once('exit', leave);
  try {
    const app = render(
      // --step or a snapshot's cursor asks for a step: it opens there, the findings a key away.
      <Investigations
        first={{
          ...first,
          diagnostics,
          cursor: typeof step === 'number' ? { step } : first.cursor,
          findingsFirst: typeof step !== 'number' && saved === 0,
        }}
        library={library}
        keymap={preferences.keymap}
      />,
      {
        stdout: ctx.stdout,
        stdin: ctx.stdin,
      },
    );
    await app.waitUntilExit();
  } finally {
    leave();
    process.off('exit', leave);
  }
  return EXIT_OK;
}
