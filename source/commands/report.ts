/**
 * `nfdb report`: what `nfdb run` finds, as markdown to paste into an issue, with a Mermaid
 * drawing of the path that GitHub and GitLab render; as svg, the path drawn by Graphviz; as
 * html, both on one page. --format is the report's format (markdown, html, svg); any other
 * value is the input format of --rules, as for `nfdb run`.
 */

import { reportDocument } from '../trace/report/report-document.js';
import { ruleLookup } from '../trace/rule-lookup.js';
import { simulate } from '../world/simulate.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_OK } from './context.js';
import { FLAGS, type FlagName, flagSpelling } from './flags.js';
import { isReportFormat, reportText } from './report-text.js';
import { withProxyModeFlag } from './scenario.js';
import { userScenario } from './user-scenario.js';
import { versionText } from './version.js';
import { whatIf } from './what-if.js';

/** A word as a shell reads it back: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `nfdb run` with the same scenario and flags: the walkthrough the report sums up. */
export function reproduceCommand(
  args: readonly string[],
  flags: Readonly<Record<string, unknown>>,
): string {
  const words = ['nfdb', 'run', ...args];
  for (const name of Object.keys(FLAGS) as FlagName[]) {
    const value = flags[name];
    const spec: { type: string; default?: unknown } = FLAGS[name];
    if (value === undefined || value === spec.default || name === 'help') continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      words.push(flagSpelling(name), ...(typeof v === 'boolean' ? [] : [String(v)]));
  }
  return words.map(shellWord).join(' ');
}

export async function reportCommand(ctx: CommandContext): Promise<number> {
  const format = ctx.flags.format;
  const flags = isReportFormat(format) ? { ...ctx.flags, format: undefined } : ctx.flags;
  const input = { ...ctx, flags };
  const picked = await userScenario(input);
  if (!picked.ok) return picked.code;
  const edited = whatIf(input, withProxyModeFlag(input, picked.scenario));
  if (!edited.ok) {
    ctx.stderr.write(`nfdb: ${edited.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const scenario = edited.scenario;
  const doc = reportDocument({
    trace: simulate(scenario),
    hosts: scenario.world.hosts,
    rules: ruleLookup(scenario.world.hosts),
    version: versionText().trimEnd(),
    command: reproduceCommand(ctx.args, flags),
  });
  const written = await reportText(doc, isReportFormat(format) ? format : 'markdown');
  if (!written.ok) {
    ctx.stderr.write(`nfdb report: ${written.message}\n`);
    return EXIT_BAD_INPUT;
  }
  ctx.stdout.write(written.text);
  return EXIT_OK;
}
