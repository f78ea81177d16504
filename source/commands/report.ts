/**
 * `nfdb report`: what `nfdb run` finds, as markdown to paste into an issue, with a Mermaid
 * drawing of the path that GitHub and GitLab render; as svg, the path drawn by Graphviz; as
 * html, both on one page. --format is the report's format (markdown, html, svg); any other
 * value is the input format of --rules, as for `nfdb run`. With --edit or --set it compares the
 * original run and the what-if, as `nfdb run --compare` does, both paths drawn side by side.
 */

import { type CommandContext, EXIT_BAD_INPUT, EXIT_OK } from './context.js';
import { FLAGS, type FlagName, flagSpelling } from './flags.js';
import { isReportFormat, reportOf, reportText, runOf } from './report-text.js';
import { withProxyModeFlag } from './scenario.js';
import { userScenario } from './user-scenario.js';
import { changeLines, hasWhatIf, whatIf } from './what-if.js';

/** A word as a shell reads it back: quoted when it holds anything but plain characters. */
export function shellWord(word: string): string {
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
  const original = withProxyModeFlag(input, picked.scenario);
  const edited = whatIf(input, original);
  if (!edited.ok) {
    ctx.stderr.write(`nfdb: ${edited.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const command = reproduceCommand(ctx.args, flags);
  // With edits, the report compares the runs; `run --compare` prints the same comparison.
  const doc = hasWhatIf(input)
    ? reportOf(
        runOf(original),
        { run: runOf(edited.scenario), changes: changeLines(edited) },
        `${command} --compare`,
      )
    : reportOf(runOf(original), undefined, command);
  const written = await reportText(doc, isReportFormat(format) ? format : 'markdown');
  if (!written.ok) {
    ctx.stderr.write(`nfdb report: ${written.message}\n`);
    return EXIT_BAD_INPUT;
  }
  ctx.stdout.write(written.text);
  return EXIT_OK;
}
