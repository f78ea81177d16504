/**
 * The default mode: the stepping UI on a scenario (built-in bookinfo, a scenario file, or
 * `--rules FILE` placed in the sidecar pod). Without a terminal, or with --no-tui, it prints what
 * `nfdb run` prints. The alternate screen is left again on exit, Ctrl-C and crash.
 */
import { render } from 'ink';
import { readRulesText } from '../io/read-rules.js';
import type { Diagnostic, Ruleset, Scenario } from '../model/index.js';
import { formatDiagnostic, parseRules } from '../rules/index.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { walkthrough } from '../trace/walkthrough.js';
import { App } from '../ui/app.js';
import { simulate } from '../world/simulate.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';
import { pickScenario, withProxyModeFlag } from './scenario.js';

/**
 * The host whose rules --rules replaces: the first with a ruleset. In the built-in scenario only
 * the sidecar pod (reviews) has rules; the others are plain pods the traffic starts and ends in.
 */
function rulesHost(scenario: Scenario) {
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
async function withRules(ctx: CommandContext, scenario: Scenario, file: string) {
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
  return { scenario: { ...scenario, world }, diagnostics: parsed.diagnostics };
}

const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export async function tuiCommand(ctx: CommandContext): Promise<number> {
  const picked = await pickScenario(ctx);
  if (!picked.ok) return picked.code;
  let scenario = picked.scenario;
  // Written to stderr as well, for --no-tui; the UI counts them and lists them in the findings.
  let diagnostics: readonly Diagnostic[] = [];
  if (typeof ctx.flags.rules === 'string') {
    const replaced = await withRules(ctx, scenario, ctx.flags.rules);
    if (!replaced) return EXIT_BAD_INPUT;
    ({ scenario, diagnostics } = replaced);
  }
  scenario = withProxyModeFlag(ctx, scenario);
  const trace = simulate(scenario);
  const step = ctx.flags.step;
  const last = trace.steps.length - 1;
  if (typeof step === 'number' && step > last) {
    ctx.stderr.write(`nfdb: --step ${step}: the trace has steps 0 to ${last}\n`);
    return EXIT_MISUSE;
  }
  if (ctx.flags.tui === false || !ctx.stdout.isTTY || !ctx.stdin.isTTY) {
    ctx.stdout.write(walkthrough(trace, { rules: ruleLookup(scenario.world.hosts) }));
    return EXIT_OK;
  }
  const leave = () => ctx.stdout.write(LEAVE);
  ctx.stdout.write(ENTER);
  process.once('exit', leave);
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
    await app.waitUntilExit();
  } finally {
    leave();
    process.off('exit', leave);
  }
  return EXIT_OK;
}
