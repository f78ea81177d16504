/**
 * The UI's report key (`r`), done here because the UI does no I/O: the report of the run on
 * screen (and, after a what-if, of both runs compared), written to the current directory as
 * markdown for an issue and as html with Graphviz's drawing, through the atomic writer.
 */
import { writeReportFiles } from '../io/report-files.js';
import type { Scenario } from '../model/index.js';
import type { WriteReport } from '../ui/report/types.js';
import type { CommandContext } from './context.js';
import { FLAG_MODES, type FlagName } from './flags.js';
import { reproduceCommand, shellWord } from './report.js';
import {
  REPORT_EXTENSIONS,
  type ReportFormat,
  reportOf,
  reportText,
  runOf,
} from './report-text.js';

const FORMATS: readonly ReportFormat[] = ['markdown', 'html'];

const two = (n: number) => String(n).padStart(2, '0');

/** `nfdb-report-2026-11-26_05-30-00`: local time, sorts by date, safe in any file system. */
export function reportName(at: Date): string {
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `nfdb-report-${day}_${two(at.getHours())}-${two(at.getMinutes())}-${two(at.getSeconds())}`;
}

/** The `nfdb run` that shows the scenario the UI was started on: the UI's flags that run takes. */
function runCommand(ctx: CommandContext): string {
  const flags = Object.fromEntries(
    Object.entries(ctx.flags).filter(([name]) => FLAG_MODES[name as FlagName]?.includes('run')),
  );
  return reproduceCommand(ctx.args, flags);
}

/**
 * A change as `run` takes it: `HOST: iptables ARGS` is an --edit as it is; `--set` and
 * `--proxy-mode` are flags already, less what the UI says about them in brackets.
 */
function changeFlag(change: string): string {
  if (change.startsWith('--set ')) return `--set ${shellWord(change.slice('--set '.length))}`;
  return change.startsWith('--') ? change.replace(/ \(.*\)$/, '') : `--edit ${shellWord(change)}`;
}

/**
 * The writer the UI is given. `launched` is the scenario nfdb was started on: a snapshot opened
 * from the picker has no command line of its own, so its report names it by its scenario.
 */
export function reportWriter(ctx: CommandContext, launched: Scenario, dir: string): WriteReport {
  return async ({ original, whatIf }) => {
    const same = original.scenario.world.name === launched.world.name;
    const run = same ? runCommand(ctx) : `nfdb run SNAPSHOT # ${original.scenario.world.name}`;
    const edited = whatIf && {
      run: runOf(whatIf.scenario, whatIf.trace),
      changes: whatIf.changes,
    };
    const command = edited ? [run, ...whatIf.changes.map(changeFlag), '--compare'].join(' ') : run;
    const doc = reportOf(runOf(original.scenario, original.trace), edited, command);
    const files = [];
    for (const format of FORMATS) {
      const made = await reportText(doc, format);
      if (!made.ok) return made;
      files.push({ extension: REPORT_EXTENSIONS[format], text: made.text });
    }
    return writeReportFiles(dir, reportName(new Date()), files);
  };
}
