/**
 * Rules as people paste them, through the command line: `-S` output without its table, host
 * names, and what to take a rule nfdb does not simulate for (--unknown-match).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfdb } from './helpers/cli.js';

/** The first outcome line of the findings `nfdb run` opens with. */
function firstOutcome(stdout: string): string {
  return stdout.split('\n').find((l) => /^ {2}1\. /.test(l)) ?? '';
}

describe('pasted input', () => {
  it('loads `iptables -t nat -S` pasted without its table, and says it took nat', () => {
    const text = '-P OUTPUT ACCEPT\n-A OUTPUT -p tcp -j REDIRECT --to-ports 15001\n';
    const r = nfdb(['check', '-'], text);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ipv4 nat:');
    expect(r.stdout).toContain(
      '<stdin>:2:18: warning: this "iptables -S" output does not say its table: taking nat, from line 2 (-j REDIRECT) (expected --table NAME or a file name like x.nat.rules)\n',
    );
  });

  it('reads localhost as the loopback, and other names from --resolve', () => {
    const text =
      'iptables -A INPUT -s localhost -j ACCEPT\niptables -A INPUT -s db.internal -j DROP\n';
    const without = nfdb(['check', '-'], text);
    expect(without.status).toBe(1);
    expect(without.stdout).toContain(
      '<stdin>:2:22: error: host name "db.internal" cannot be resolved by nfdb: give its address with --resolve db.internal=ADDR',
    );
    const given = nfdb(['check', '--resolve', 'db.internal=10.1.2.3', '-'], text);
    expect(given.status).toBe(0);
    expect(
      given.stdout
        .split('\n')
        .filter((l) => l.startsWith('<stdin>:1') || l.startsWith('<stdin>:2')),
    ).toEqual([
      '<stdin>:1:22: warning: host name "localhost" read as 127.0.0.1 (the loopback\'s address, as /etc/hosts gives it)',
      '<stdin>:2:22: warning: host name "db.internal" read as 10.1.2.3 (--resolve db.internal=10.1.2.3)',
    ]);
    expect(nfdb(['check', '--resolve', 'db.internal', '-'], text)).toMatchObject({
      status: 2,
      stderr:
        'nfdb: --resolve "db.internal": expected NAME=ADDR, as --resolve db.internal=10.1.2.3\n',
    });
  });
});

describe('--unknown-match', () => {
  const rules = [
    '*nat',
    ':OUTPUT ACCEPT [0:0]',
    '-A OUTPUT -p tcp -m set --match-set frob dst -j REDIRECT --to-ports 15001',
    'COMMIT',
    '',
  ].join('\n');
  const run = (mode: string) =>
    nfdb(['run', '--rules', '-', '--to', '10.0.0.9:80', '--unknown-match', mode], rules);

  it('stops at a rule nfdb does not simulate, or takes it as match or no-match', () => {
    expect(firstOutcome(run('stop').stdout)).toContain('stopped on reviews at nat OUTPUT 1');
    expect(firstOutcome(run('match').stdout)).toContain(
      'delivered to proxy (uid 1337) on 0.0.0.0:15001',
    );
    expect(firstOutcome(run('no-match').stdout)).toContain('delivered to server 10.0.0.9');
  });

  it('refuses any other answer, and a scenario-less check', () => {
    expect(run('maybe')).toMatchObject({
      status: 2,
      stderr: 'nfdb: --unknown-match "maybe": expected stop, match, no-match\n',
    });
    expect(nfdb(['check', '--unknown-match', 'match', '-'], rules).status).toBe(2);
  });
});

describe('did you mean', () => {
  it('suggests the flag or subcommand a typo was meant to be, exit 2', () => {
    for (const [args, said] of [
      [
        ['run', '--rule', 'x'],
        'nfdb: unknown flag --rule: did you mean --rules? (see nfdb --help)',
      ],
      [
        ['--proxy-gdi', '3'],
        'nfdb: unknown flag --proxy-gdi: did you mean --proxy-gid? (see nfdb --help)',
      ],
      [['runn'], "nfdb: unknown subcommand 'runn': did you mean 'nfdb run'? (see nfdb help)"],
      [
        ['help', 'chekc'],
        "nfdb: no help for 'chekc': did you mean check? (subcommands: check, run, live, snapshots, save, config, report, help)",
      ],
    ] as const) {
      expect(nfdb(args)).toMatchObject({ status: 2, stderr: `${said}\n` });
    }
  });

  it('points a ruleset given where a scenario goes to --rules', () => {
    const text = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-paste-'));
    const file = join(dir, 'mine.rules');
    writeFileSync(file, text);
    for (const args of [
      [file, '--no-tui'],
      ['run', file],
    ]) {
      expect(nfdb(args)).toMatchObject({
        status: 2,
        stderr: `nfdb: ${file} is not a scenario (JSON): did you mean --rules ${file}? (see nfdb help)\n`,
      });
    }
  });

  it('suggests the chain, target or option a rule was meant to name', () => {
    const text = [
      '*filter',
      ':ISTIO_OUTPUT - [0:0]',
      '-A ISTIO_OUTPU -j ACCEPT',
      '-A INPUT -p tcp --dprot 80 -j ACCEPT',
      '-A INPUT -j RETRUN',
      'COMMIT',
      '',
    ].join('\n');
    const r = nfdb(['check', '-'], text);
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.includes(': error: '));
    expect(errors).toEqual([
      '<stdin>:3:4: error: chain "ISTIO_OUTPU" does not exist in table filter: did you mean ISTIO_OUTPUT? (expected a chain declared before use (-N or :CHAIN), found "ISTIO_OUTPU")',
      '<stdin>:4:17: error: unknown option "--dprot": did you mean --dport? (expected a generic option or -m MODULE first, found "--dprot")',
      '<stdin>:5:13: error: jump to chain "RETRUN", which does not exist in table filter: did you mean RETURN? (expected an existing chain or a known target, found "RETRUN")',
    ]);
  });
});
