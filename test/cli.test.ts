/**
 * The command line itself, through the built CLI: closed pipes, flag values, unknown words and
 * flags, the help texts (checked against the flag table, so they cannot drift), scenario errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAG_MODES, FLAGS, type FlagName, flagSpelling } from '../source/commands/flags.js';
import { nfdb, ROOT } from './helpers/cli.js';

/** Control characters other than the newline, built from code points (a regex literal with them trips the linter). */
const CONTROL_CHARACTERS = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(9)}${String.fromCharCode(11)}-${String.fromCharCode(31)}${String.fromCharCode(127)}-${String.fromCharCode(159)}]`,
);

const tmp = mkdtempSync(join(tmpdir(), 'nfdb-cli-'));
const NO_STACK = /\n\s+at .+:\d+:\d+/;

describe('nfdb piped into a reader that stops early', () => {
  it.each([['run'], ['run --json'], ['run --counters']])(
    '%s | head -c 100: quiet, status 0',
    (args) => {
      const r = spawnSync(
        'bash',
        [
          '-c',
          `"${process.execPath}" dist/cli.js ${args} | head -c 100; echo; echo "nfdb=\${PIPESTATUS[0]}"`,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/\nnfdb=0\n$/);
    },
  );
});

describe('flag values', () => {
  it.each([
    [['--step', 'abc', '--no-tui'], '--step "abc": expected a step number'],
    [['--step', '-1', '--no-tui'], '--step "-1": expected a step number'],
    [['--step', '1.5', '--no-tui'], '--step "1.5": expected a step number'],
    [['--seed', 'abc', '--no-tui'], '--seed "abc": expected an integer from 0 to 4294967295'],
    [['run', '--seed', '99999999999'], '--seed "99999999999": expected an integer'],
    [['run', '--connection', 'abc'], '--connection "abc": expected a connection number'],
    [['run', '--connection', '0'], '--connection "0": expected a connection number'],
    [['--step', '99999', '--no-tui'], '--step 99999: the trace has steps 0 to 489'],
    [['run', '--step', '5'], "--step does not apply to 'nfdb run': it is for the UI"],
    [['run', '--no-tui'], "--no-tui does not apply to 'nfdb run'"],
    [['check', '--counters', '-'], "--counters does not apply to 'nfdb check': it is for run"],
    [['--connection', '2', '--no-tui'], '--connection does not apply to the UI'],
    [['run', '--seed', '1', '--seed', '2'], 'the flag --seed can only be set once'],
  ])('nfdb %j: exit 2 with a clear message', (args, message) => {
    const r = nfdb(args);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(`nfdb: ${message}`);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('accepts good values', () => {
    expect(nfdb(['--step', '489', '--no-tui']).status).toBe(0);
    expect(nfdb(['run', '--seed', '7', '--connection', '1']).status).toBe(0);
  });
});

describe('unknown words and flags', () => {
  it('calls a first word that is no subcommand, file or .json name an unknown subcommand', () => {
    const r = nfdb(['frob']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("nfdb: unknown subcommand 'frob' (see nfdb help)\n");
    const missing = nfdb([join(tmp, 'missing.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('missing.json: cannot read: no such file');
  });

  it('names an unknown flag with a pointer to the help', () => {
    for (const [args, flag] of [
      [['--bogus'], '--bogus'],
      [['run', '--bogus-flag'], '--bogus-flag'],
      [['check', '-z', '-'], '-z'],
    ] as const) {
      const r = nfdb(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`nfdb: unknown flag ${flag} (see nfdb --help)\n`);
    }
  });

  it('says the same about a directory in check, run and the UI', () => {
    const dir = join(tmp, 'dir.json');
    mkdirSync(dir, { recursive: true });
    for (const args of [
      ['check', dir],
      ['run', dir],
      [dir, '--no-tui'],
    ]) {
      const r = nfdb(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${dir}: cannot read: it is a directory\n`);
    }
  });
});

describe('nfdb --help and nfdb help SUBCOMMAND', () => {
  const names = Object.keys(FLAGS) as FlagName[];
  const spellings = (name: FlagName) => {
    const short = (FLAGS[name] as { shortFlag?: string }).shortFlag;
    return short ? [flagSpelling(name), `-${short}`] : [flagSpelling(name)];
  };

  it('lists every flag nfdb accepts in the overview', () => {
    const main = nfdb(['--help']);
    expect(main.status).toBe(0);
    for (const name of names) for (const s of spellings(name)) expect(main.stdout).toContain(s);
  });

  it.each(['check', 'run', 'live', 'snapshots', 'save', 'config', 'report', 'help'] as const)(
    'lists in help %s every flag that applies to it',
    (mode) => {
      const r = nfdb(['help', mode]);
      expect(r.status).toBe(0);
      for (const name of names.filter((n) => FLAG_MODES[n].includes(mode)))
        for (const s of spellings(name)) expect(r.stdout).toContain(s);
    },
  );

  it('answers help help, and shows -x beside --exact', () => {
    expect(nfdb(['help', 'help']).stdout).toContain('nfdb help SUBCOMMAND');
    expect(nfdb(['help', 'run']).stdout).toContain('-x, --exact');
  });
});

describe('nfdb check on a file that did not load', () => {
  it('does not claim to simulate every rule', () => {
    const r = nfdb(['check', join(ROOT, 'test/inputs/jump-loop.rules')]);
    expect(r.stdout).toContain('NOT loaded');
    expect(r.stdout).not.toContain('nfdb simulates every rule');
    expect(nfdb(['check', '-'], '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n').stdout).toContain(
      'nfdb simulates every rule',
    );
  });
});

describe('scenario file errors', () => {
  it('points at the stray comma of broken JSON with a short, escaped excerpt', () => {
    const file = join(tmp, 'broken.json');
    writeFileSync(file, '{\n "name": "x",\n "hosts": [,]\n}');
    const r = nfdb(['run', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `${file}:3:12: not valid JSON: expected a value (object, array, string, number, true, false or null), found ","\n`,
    );
  });

  it('never prints raw control bytes for binary input', () => {
    const file = join(tmp, 'binary.json');
    writeFileSync(file, Buffer.from([0x7b, 0x0a, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x00]));
    const r = nfdb(['run', file]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).not.toMatch(CONTROL_CHARACTERS);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    writeFileSync(file, '{"name": "x\u0007"\n "hosts": []}');
    const bell = nfdb(['run', file]);
    expect(bell.stderr).toMatch(/binary\.json:1:\d+: not valid JSON: expected .*found "\\x07"\n$/);
  });

  it('names the scenario file and the field when a rules file is missing', () => {
    const file = join(tmp, 'missing-rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        hosts: [{ name: 'a' }, { name: 'pod', rules: { file: 'rules/istio-sidecar.rules' } }],
      }),
    );
    const r = nfdb(['run', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^\S*missing-rules\.json: hosts\[1\]\.rules\.file: cannot read \S*rules\/istio-sidecar\.rules: no such file\n$/,
    );
  });

  it('points an error in inline rules into the JSON file, naming the host', () => {
    const file = join(tmp, 'badrules.json');
    const rules =
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n';
    writeFileSync(
      file,
      `{\n  "hosts": [\n    { "name": "pod",\n      "rules": ${JSON.stringify(rules)} }\n  ]\n}\n`,
    );
    const r = nfdb(['run', file]);
    expect(r.status).toBe(1);
    // Line 4 is `      "rules": "*nat\n...`: the literal opens at column 16, --dport is 53 on.
    expect(r.stderr).toContain(`${file}:4:70: error: tcp: invalid port "99999" for --dport`);
    expect(r.stderr).toContain(
      '[hosts[0].rules (host "pod"), line 3 column 22 of the inline rules]',
    );
  });
});

describe('the bundled commands', () => {
  // npm run build writes check, run and the UI as one file each (build/bundle-commands.ts);
  // NFDB_NO_BUNDLE=1 loads their modules instead. Both must say the same.
  const both = (args: readonly string[], input?: string) => [
    nfdb(args, input, { NFDB_NO_BUNDLE: '0' }),
    nfdb(args, input, { NFDB_NO_BUNDLE: '1' }),
  ];

  it('are built, and say what the modules say: run, run --json, check with errors', () => {
    expect(existsSync(join(ROOT, 'dist/bundle/run.js'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/bundle/check.js'))).toBe(true);
    for (const args of [
      ['run'],
      ['run', '--json', '--edit', '-t nat -D ISTIO_OUTPUT 4', '--compare'],
    ]) {
      const [bundled, modules] = both(args);
      expect(bundled?.status).toBe(0);
      expect(bundled).toEqual(modules);
    }
    const [bundled, modules] = both(['check', '-'], '*nat\n-A OUTPUT -d 10.0.0.300 -j ACCEPT\n');
    expect(bundled?.status).toBe(1);
    expect(bundled?.stdout).toContain('bad address "10.0.0.300"');
    expect(bundled).toEqual(modules);
  });
});
