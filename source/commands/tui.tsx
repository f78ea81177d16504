/**
 * The default mode: the stepping UI on a scenario (built-in bookinfo, a scenario file, or
 * `--rules FILE` placed in the sidecar pod). Without a terminal, or with --no-tui, it prints what
 * `nfdb run` prints. The alternate screen is left again on exit, Ctrl-C, crash and every signal that can be caught.
 */
import { resolve } from 'node:path';
import { render } from 'ink';
import { rememberRecent } from '../io/preferences.js';
import type { Diagnostic, Scenario } from '../model/index.js';
import { cursorStep } from '../trace/cursor-step.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { walkthrough } from '../trace/walkthrough.js';
import type { RealFeed } from '../ui/real/feed.js';
import { Investigations } from '../ui/snapshot/Investigations.js';
import { setTheme } from '../ui/theme.js';
import { runOf } from '../ui/what-if/session.js';
import { simulate } from '../world/simulate.js';
import type { SnapshotFile } from '../world/snapshot-schema.js';
import type { Session } from '../world/what-if-session.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { uiPreferences } from './preferences.js';
import { restoreOnSignal } from './restore-on-signal.js';
import { proxyText } from './run.js';
import { withProxyModeFlag } from './scenario.js';
import { reportWriter } from './tui-report.js';
import { investigationOf, library, snapshotBase } from './tui-snapshots.js';
import { userScenario } from './user-scenario.js';

const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export async function tuiCommand(ctx: CommandContext): Promise<number> {
  const picked = await userScenario(ctx);
  if (!picked.ok) return picked.code;
  // --proxy-mode sets the scenario a snapshot's edits are made on, as it sets the edited one.
  const given = picked.whatIf;
  const whatIf = given && { ...given, base: withProxyModeFlag(ctx, given.base) };
  return showScenario(ctx, withProxyModeFlag(ctx, picked.scenario), { ...picked, whatIf });
}

/**
 * The UI on a scenario, or the walkthrough without a terminal; `proxyLines` (what nfdb assumed)
 * open the walkthrough, `diagnostics` the UI's findings.
 */
export async function showScenario(
  ctx: CommandContext,
  given: Scenario,
  said: {
    readonly proxyLines: readonly string[];
    readonly diagnostics: readonly Diagnostic[];
    /** The snapshot the scenario came from, whose cursor it opens at, and its file. */
    readonly snapshot?: SnapshotFile;
    readonly file?: string;
    /** Real packets beside the simulation (`nfdb live --trace`), and what to undo on a signal. */
    readonly real?: RealFeed;
    readonly leaving?: () => void;
    /** The snapshot's edits as a what-if: what is shown is its run, and they can be undone. */
    readonly whatIf?: Session;
  },
): Promise<number> {
  const { proxyLines, diagnostics, whatIf } = said;
  const run = whatIf ? runOf(whatIf) : { scenario: given, trace: simulate(given) };
  const { scenario, trace } = run;
  const step = ctx.flags.step;
  const last = trace.steps.length - 1;
  if (typeof step === 'number' && step > last) {
    ctx.stderr.write(`nfdb: --step ${step}: the trace has steps 0 to ${last}\n`);
    return EXIT_MISUSE;
  }
  const saved = said.snapshot ? cursorStep(trace, said.snapshot.cursor) : 0;
  if (saved > last) {
    ctx.stderr.write(`${said.file}: cursor.step: ${saved} is past the trace's last step ${last}\n`);
    return EXIT_BAD_INPUT;
  }
  if (ctx.flags.tui === false || !ctx.stdout.isTTY || !ctx.stdin.isTTY) {
    ctx.stdout.write(proxyText(proxyLines));
    ctx.stdout.write(walkthrough(trace, { rules: ruleLookup(scenario.world.hosts, trace) }));
    return EXIT_OK;
  }
  if (said.file !== undefined) rememberRecent(resolve(said.file));
  const preferences = uiPreferences();
  for (const w of preferences.warnings) ctx.stderr.write(`${w}\n`);
  setTheme(preferences.theme);
  const base = await snapshotBase(ctx, said.file);
  const first = investigationOf(run, base, said.snapshot, whatIf);
  const leave = () => ctx.stdout.write(LEAVE);
  ctx.stdout.write(ENTER);
  process.once('exit', leave);
  let unmount = () => {};
  // Unmounting gives back the cooked input and the cursor that Ink took.
  const stopRestoring = restoreOnSignal(() => {
    said.leaving?.();
    unmount();
    leave();
  });
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
        {...(said.real ? { real: said.real } : {})}
        report={reportWriter(ctx, scenario, process.cwd())}
      />,
      {
        stdout: ctx.stdout,
        stdin: ctx.stdin,
        // Ink's default of 30 holds a frame up to 33 ms after the last one: a key typed or
        // repeated soon after another would wait longer than the 16 ms of a 60 Hz screen.
        maxFps: 60,
      },
    );
    unmount = () => app.unmount();
    await app.waitUntilExit();
  } finally {
    stopRestoring();
    leave();
    process.off('exit', leave);
  }
  return EXIT_OK;
}
