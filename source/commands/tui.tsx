/**
 * The default mode: the stepping UI on a scenario (built-in bookinfo, a scenario file, or
 * `--rules FILE` placed in the sidecar pod). Without a terminal, or with --no-tui, it prints what
 * `nfdb run` prints. The alternate screen is left again on exit, Ctrl-C, crash and every signal that can be caught.
 */
import { render } from 'ink';
import { ruleLookup } from '../trace/rule-lookup.js';
import { walkthrough } from '../trace/walkthrough.js';
import { App } from '../ui/app.js';
import { simulate } from '../world/simulate.js';
import { type CommandContext, EXIT_MISUSE, EXIT_OK } from './context.js';
import { restoreOnSignal } from './restore-on-signal.js';
import { proxyText } from './run.js';
import { withProxyModeFlag } from './scenario.js';
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
  if (ctx.flags.tui === false || !ctx.stdout.isTTY || !ctx.stdin.isTTY) {
    ctx.stdout.write(proxyText(proxyLines));
    ctx.stdout.write(walkthrough(trace, { rules: ruleLookup(scenario.world.hosts) }));
    return EXIT_OK;
  }
  const leave = () => ctx.stdout.write(LEAVE);
  ctx.stdout.write(ENTER);
  process.once('exit', leave);
  let unmount = () => {};
  // Unmounting gives back the cooked input and the cursor that Ink took.
  const stopRestoring = restoreOnSignal(() => {
    unmount();
    leave();
  });
  try {
    const app = render(
      // --step asks for a step: it opens there, the findings a key away.
      <App
        scenario={scenario}
        trace={trace}
        diagnostics={diagnostics}
        initialCursor={typeof step === 'number' ? step : 0}
        findingsFirst={typeof step !== 'number'}
      />,
      {
        stdout: ctx.stdout,
        stdin: ctx.stdin,
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
