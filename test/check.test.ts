/**
 * `nfdb check` on broken inputs, through the built CLI: each gets its own message with
 * FILE:LINE:COL, what was expected and found, exit code 1, and never a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const input = (name: string) => `${ROOT}test/inputs/${name}`;

const CASES: readonly [file: string, position: string, message: RegExp][] = [
  ['truncated.rules', ':9:1:', /ends without COMMIT \(truncated input\?\)/],
  [
    'missing-commit.rules',
    ':6:1:',
    /table filter was not closed with COMMIT \(expected COMMIT, found "\*nat"\)/,
  ],
  [
    'unknown-table.rules',
    ':1:2:',
    /unknown table "natt" \(expected raw, mangle, nat, filter or security/,
  ],
  ['bad-address.rules', ':5:13:', /bad address "10\.0\.0\.300\/24" \(expected an IPv4 address/],
  [
    'port-out-of-range.rules',
    ':6:29:',
    /invalid port "70000" for --dport \(expected a port number 0-65535/,
  ],
  [
    'missing-value.rules',
    ':6:27:',
    /"--uid-owner" requires a value \(expected a value, found "-j"\)/,
  ],
  [
    'jump-missing-chain.rules',
    ':6:25:',
    /jump to chain "ISTIO_INBOUND", which does not exist in table nat/,
  ],
  ['jump-loop.rules', ':9:16:', /jump loop: A → B → A \(the kernel refuses this with ELOOP\)/],
  ['redirect-in-filter.rules', ':5:21:', /REDIRECT is only valid in the nat table, not filter/],
  [
    'owner-in-prerouting.rules',
    ':6:25:',
    /-m owner is only valid in OUTPUT, POSTROUTING; this chain is reached from PREROUTING/,
  ],
  ['garbage.bin', ':1:1:', /the input is binary, not text/],
  ['empty.rules', ':1:1:', /the input is empty/],
];

describe('nfdb check on broken input', () => {
  it.each(CASES)('%s: the right error, exit 1', (file, position, message) => {
    const result = nfdb(['check', input(file)]);
    expect(result.status).toBe(1);
    const errorLine = result.stdout.split('\n').find((l) => l.includes(': error: '));
    expect(errorLine).toContain(`${file}${position} error: `);
    expect(errorLine).toMatch(message);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  });

  it('reports a 1 MB line as one error, with its position, without hanging', () => {
    // The kernel tools cut a long comment to 255 characters; a 1 MB interface name is wrong.
    const long = `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i ${'x'.repeat(1 << 20)} -j ACCEPT\nCOMMIT\n`;
    const result = nfdb(['check', '-'], long);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/<stdin>:3:\d+: error: bad interface name/);
  });

  it('lists every error of a file, not only the first', () => {
    const text =
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -s 1.2.3.999 -j ACCEPT\n-A PREROUTING -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n';
    const result = nfdb(['check', '-'], text);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('<stdin>:3:18: error: bad address');
    expect(result.stdout).toContain('<stdin>:4:22: error: tcp: invalid port "99999"');
  });

  it('exits 2 for misuse and 1 for a missing file, with a plain message', () => {
    expect(nfdb(['check']).status).toBe(2);
    expect(nfdb(['check', '--format', 'yaml', input('empty.rules')]).status).toBe(2);
    const missing = nfdb(['check', input('no-such-file.rules')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no-such-file.rules: cannot read: no such file');
  });

  it('gives the same findings as JSON', () => {
    const result = nfdb(['check', '--json', input('jump-loop.rules')]);
    expect(result.status).toBe(1);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.files[0].loaded).toBe(false);
    expect(parsed.files[0].diagnostics[0]).toMatchObject({
      severity: 'error',
      pos: { line: 9, column: 16 },
    });
  });
});

describe('nfdb help', () => {
  it('documents every subcommand and exits 0', () => {
    const main = nfdb(['--help']);
    expect(main.status).toBe(0);
    for (const word of ['check', 'run', '--format', 'Exit codes'])
      expect(main.stdout).toContain(word);
    expect(nfdb(['help', 'check']).stdout).toContain('istio-golden');
    expect(nfdb(['help', 'nope']).status).toBe(2);
    expect(nfdb(['--no-such-flag']).status).toBe(2);
  });
});
