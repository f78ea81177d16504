#!/usr/bin/env node
/**
 * The command line: parses flags with meow, picks a mode, nothing else.
 * Exit codes: 0 ok, 1 the input is wrong, 2 nfdb was used wrongly.
 */
import meow from 'meow';
import { checkCommand } from './commands/check.js';
import { type CommandContext, EXIT_MISUSE } from './commands/context.js';
import { runCommand } from './commands/run.js';

const MAIN_HELP = `
  nfdb, the netfilter debugger: where a packet goes through iptables, and why.

  Usage
    $ nfdb [SCENARIO.json]          open the stepping UI (default: the built-in Istio sidecar scenario)
    $ nfdb --rules FILE             open the UI on a ruleset placed in a default sidecar pod
    $ nfdb run [SCENARIO.json]      print the hop-by-hop walkthrough without a UI
    $ nfdb check FILE... | -        parse and validate rulesets, report what nfdb cannot simulate
    $ nfdb help SUBCOMMAND          help for one subcommand

  Options
    --format NAME    force the input format: iptables-save, iptables-S, commands, istio-golden, listing
    --table NAME     the table of an 'iptables -S' file when its name does not say it
    --json           machine-readable output (check, run)
    --no-tui         print what 'nfdb run' prints instead of drawing the UI
    --step N         open the UI at step N (the numbers 'nfdb run' prints)
    --seed N         seed for '-m statistic --mode random'
    --help           this text
    --version        nfdb's version

  Exit codes
    0 ok, 1 the input is wrong, 2 nfdb was used wrongly
`;

export const SUBCOMMAND_HELP: Readonly<Record<string, string>> = {
  check: `
  Usage
    $ nfdb check FILE... [--format NAME] [--table NAME] [--json]
    $ nfdb check -            read standard input

  Parses and validates each file as the kernel would at load time. Prints per file the tables,
  chains and rules, the match modules and targets used, and the rules nfdb cannot simulate.
  Every error is listed with FILE:LINE:COL, what was expected and what was found.

  Formats (detected automatically; --format forces one)
    iptables-save     iptables-save / iptables-restore input, with or without -c counters
    iptables-S        'iptables -S' output of one table (table from --table or a name like x.nat.rules)
    commands          one 'iptables ...' / 'ip6tables ...' command per line
    istio-golden      istio-iptables golden files (IPv4 part, then IPv6 part)
    listing           'iptables -L -v -n' output, with or without -x and --line-numbers

  Exit codes
    0 the files loaded (warnings allowed), 1 an error in the input, 2 misuse
`,
  run: `
  Usage
    $ nfdb run [SCENARIO.json] [--json | --counters | --list] [--seed N] [--connection N]

  Simulates the scenario's traffic (default: the built-in Istio bookinfo sidecar scenario) and
  prints a numbered hop-by-hop walkthrough.

  Options
    --json        the whole Trace as JSON
    --counters    each host's final counters in 'iptables-save -c' format, after '# host NAME'
    --list        each host's 'iptables -L -v -n' listing
    --exact       with --list: exact numbers, as 'iptables -L -v -n -x'
    --seed N      seed for '-m statistic --mode random'
    --connection N  the walkthrough's every-step part for connection N only (long traces)

  Exit codes
    0 ok, 1 the scenario is wrong, 2 misuse
`,
};

const cli = meow(MAIN_HELP, {
  importMeta: import.meta,
  autoHelp: false,
  allowUnknownFlags: false,
  flags: {
    format: { type: 'string' },
    table: { type: 'string' },
    json: { type: 'boolean', default: false },
    counters: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    exact: { type: 'boolean', shortFlag: 'x', default: false },
    seed: { type: 'number' },
    step: { type: 'number' },
    connection: { type: 'number' },
    rules: { type: 'string' },
    tui: { type: 'boolean', default: true },
    help: { type: 'boolean', shortFlag: 'h', default: false },
  },
});

function context(args: readonly string[]): CommandContext {
  return {
    args,
    flags: cli.flags,
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
    process.stderr.write(`nfdb: no help for '${topic}': subcommands are check, run\n`);
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

async function main(): Promise<number> {
  const [first, ...rest] = cli.input;
  if (first === 'help') return help(rest[0]);
  if (cli.flags.help) return help(first === 'check' || first === 'run' ? first : undefined);
  if (first === 'check') return checkCommand(context(rest));
  if (first === 'run') return runCommand(context(rest));
  drawEvenInCi();
  // Ink and React load only for the UI: check and run start faster without them.
  const { tuiCommand } = await import('./commands/tui.js');
  return tuiCommand(context(cli.input));
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
