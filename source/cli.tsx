#!/usr/bin/env node
/**
 * The command line: reads the flags (commands/argv.ts), picks a mode, nothing else.
 * Exit codes: 0 ok, 1 the input is wrong, 2 nfdb was used wrongly.
 */
import { parseArgv } from './commands/argv.js';
import { type CommandContext, EXIT_MISUSE } from './commands/context.js';
import { checkFlags, FLAGS, type Mode, unknownFlag } from './commands/flags.js';
import { MAIN_HELP, SUBCOMMAND_HELP } from './commands/help.js';
import { versionText } from './commands/version.js';
import { type BundledCommand, commandBundle } from './io/command-bundle.js';
import { pathExists } from './io/read-error.js';
import { didYouMean, nearest } from './rules/did-you-mean.js';

type Command = (ctx: CommandContext) => Promise<number> | number;

/** A command's module from its one-file bundle when the build wrote one, else its modules. */
async function bundled<M>(name: BundledCommand, modules: () => Promise<M>): Promise<M> {
  const bundle = commandBundle(name);
  return bundle ? ((await import(bundle)) as M) : modules();
}

/**
 * Each subcommand's module, loaded when it runs: `--help`, `--version` and `check` start without
 * the snapshot schemas (zod), the preferences (conf) or the simulator they do not use.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await bundled('check', () => import('./commands/check.js'))).checkCommand,
  run: async () => (await bundled('run', () => import('./commands/run.js'))).runCommand,
  snapshots: async () => (await import('./commands/snapshots.js')).snapshotsCommand,
  save: async () => (await import('./commands/save.js')).saveCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
};

/**
 * A reader that goes away early (`nfdb run | head -1`) closes the pipe: the next write fails with
 * EPIPE. That is not an error of nfdb or of the input, and `head` users expect the pipeline to
 * succeed, so nfdb stops quietly with status 0 (as if it had finished) instead of printing a
 * stack trace. Any other failure to write (a full disk, `> /dev/full`) is one line and status 1:
 * the output is lost, and a stack trace would say nothing more.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    writeFailed(name, error);
  });
}

function writeFailed(name: string, error: NodeJS.ErrnoException): never {
  const reason = error.code ?? error.message;
  try {
    if (name !== 'standard error')
      process.stderr.write(`nfdb: cannot write to ${name}: ${reason}\n`);
  } catch {
    // Standard error is gone too: the status is all that is left to say it.
  }
  process.exit(1);
}
quietOnClosedPipe(process.stdout, 'standard output');
quietOnClosedPipe(process.stderr, 'standard error');

function misuse(message: string): never {
  process.stderr.write(`nfdb: ${message}\n`);
  process.exit(EXIT_MISUSE);
}

/** The words and flags, or exit 2: a flag given twice, a boolean with a value, an unknown flag. */
function parseArgs() {
  const parsed = parseArgv(process.argv.slice(2), FLAGS);
  if (!parsed.ok) misuse(parsed.message);
  const [unknown] = parsed.unknown;
  if (unknown !== undefined) misuse(unknownFlag(unknown));
  return parsed;
}

// What ps and top show, as the flag parser before (meow) set it.
process.title = 'nfdb';

const cli = parseArgs();
const SUBCOMMANDS = [
  'check',
  'run',
  'live',
  'snapshots',
  'save',
  'config',
  'report',
  'help',
] as const;

function context(args: readonly string[], flags: CommandContext['flags']): CommandContext {
  return {
    args,
    flags,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  };
}

function help(topic: string | undefined): number {
  if (topic === undefined) {
    process.stdout.write(`${MAIN_HELP.trimEnd()}\n`);
    return 0;
  }
  const text = SUBCOMMAND_HELP[topic];
  if (text === undefined) {
    process.stderr.write(
      `nfdb: no help for '${topic}'${didYouMean(topic, SUBCOMMANDS)} (subcommands: ${SUBCOMMANDS.join(', ')})\n`,
    );
    return EXIT_MISUSE;
  }
  process.stdout.write(`${text.trimEnd()}\n`);
  return 0;
}

/**
 * Ink reads CI once, when it loads, and then draws nothing until exit (is-in-ci). A terminal at
 * both ends means a person is watching, whatever the environment says: a CI runner's tmux, a
 * dev container that sets CI=1.
 */
function drawEvenInCi(): void {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return;
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}

/**
 * React picks its build when it loads: without NODE_ENV it loads the development one, which checks
 * every render and made each keypress several times slower. Whoever sets NODE_ENV keeps theirs.
 */
function productionReact(): void {
  process.env.NODE_ENV ??= 'production';
}

function modeOf(first: string | undefined): Mode {
  return SUBCOMMANDS.find((s) => s === first) ?? 'ui';
}

/**
 * `--rules -` is read as an empty --rules and a word `-`: standard input is what was meant.
 * `--rules` with no value at all stays empty, which checkFlags refuses.
 */
function rulesFromStdin(input: readonly string[], flags: Readonly<Record<string, unknown>>) {
  const dash = input.indexOf('-');
  if (flags.rules !== '' || dash < 0) return { input, flags };
  return { input: input.filter((_, i) => i !== dash), flags: { ...flags, rules: '-' } };
}

async function main(): Promise<number> {
  const given = rulesFromStdin(cli.input, cli.flags);
  const [first, ...rest] = given.input;
  const mode = modeOf(first);
  const checked = checkFlags(given.flags, mode);
  if (!checked.ok) {
    process.stderr.write(`nfdb: ${checked.message}\n`);
    return EXIT_MISUSE;
  }
  const flags = checked.flags;
  if (flags.version === true) {
    process.stdout.write(versionText());
    return 0;
  }
  if (mode === 'help') return help(rest[0]);
  if (flags.help === true) return help(mode === 'ui' ? undefined : mode);
  const load = COMMANDS[mode];
  if (load) return (await load())(context(rest, flags));
  if (mode === 'live') {
    drawEvenInCi();
    productionReact();
    const { liveCommand } = await import('./commands/live.js');
    return liveCommand(context(rest, flags));
  }
  // A first word that is no subcommand, no file and no .json name is a mistyped subcommand.
  if (first !== undefined && !first.endsWith('.json') && !pathExists(first)) {
    const near = nearest(first, SUBCOMMANDS);
    const hint = near === undefined ? '' : `: did you mean 'nfdb ${near}'?`;
    process.stderr.write(`nfdb: unknown subcommand '${first}'${hint} (see nfdb help)\n`);
    return EXIT_MISUSE;
  }
  drawEvenInCi();
  productionReact();
  // Ink and React load only for the UI: check and run start faster without them.
  const { loadTuiCommand } = await import('./commands/tui-loader.js');
  const tuiCommand = await loadTuiCommand();
  return tuiCommand(context(given.input, flags));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A programmer error: say so plainly, without a stack trace unless asked for.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`nfdb: internal error: ${message}\n`);
    if (process.env.NFDB_DEBUG) console.error(error);
    process.exitCode = 70;
  },
);
