/**
 * 64-bit counters through the built CLI (issue 17: 18446744073709551615 printed as
 * 18446744073709552000): what a run adds to counts past 2^53 is summed exactly in `--counters`,
 * `--list -x` and `--json`, and a count past 64 bits is refused at its line and column.
 */
import { describe, expect, it } from 'vitest';
import { nfdb } from './helpers/cli.js';

const NEAR_MAX = (1n << 64n) - 100_000n;
const PAST_SAFE = (1n << 53n) + 1n;

function rules(input: bigint, output: bigint, policy: bigint): string {
  return [
    '*filter',
    `:INPUT ACCEPT [${policy}:${policy}]`,
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    `[${input}:${output}] -A INPUT -j ACCEPT`,
    `-A OUTPUT -c ${output} ${input} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The `[p:b]` counts of the reviews host's lines of `run --counters`, in order. */
function counts(stdout: string): bigint[][] {
  const host = stdout.slice(stdout.indexOf('# host reviews'));
  return [...host.matchAll(/\[(\d+):(\d+)\]/g)].map((m) => [
    BigInt(m[1] ?? ''),
    BigInt(m[2] ?? ''),
  ]);
}

describe('counters past 2^53', () => {
  const zero = nfdb(['run', '--rules', '-', '--counters'], rules(0n, 0n, 0n));
  const big = nfdb(['run', '--rules', '-', '--counters'], rules(NEAR_MAX, PAST_SAFE, PAST_SAFE));

  it('run --counters: the loaded count plus what the run added, exactly', () => {
    expect(zero.status).toBe(0);
    expect(big.status).toBe(0);
    const moved = counts(zero.stdout);
    const loaded = [
      [PAST_SAFE, PAST_SAFE],
      [0n, 0n],
      [0n, 0n],
      [NEAR_MAX, PAST_SAFE],
      [PAST_SAFE, NEAR_MAX],
    ];
    // The run moves something in INPUT and OUTPUT, or there is nothing to add up.
    expect(moved[3]?.[0]).toBeGreaterThan(0n);
    expect(counts(big.stdout)).toEqual(
      loaded.map(([p = 0n, b = 0n], i) => [p + (moved[i]?.[0] ?? 0n), b + (moved[i]?.[1] ?? 0n)]),
    );
  });

  it('run --list -x prints the same exact sums; run --list rounds them as iptables -L does', () => {
    const sums = counts(big.stdout);
    const exact = nfdb(
      ['run', '--rules', '-', '--list', '-x'],
      rules(NEAR_MAX, PAST_SAFE, PAST_SAFE),
    );
    expect(exact.status).toBe(0);
    const input = `${sums[3]?.[0]}`.padStart(8);
    expect(exact.stdout).toContain(`${input} ${sums[3]?.[1]} ACCEPT`);
    expect(exact.stdout).toContain(
      `(policy ACCEPT ${sums[0]?.[0]} packets, ${sums[0]?.[1]} bytes)`,
    );
    const rounded = nfdb(['run', '--rules', '-', '--list'], rules(NEAR_MAX, PAST_SAFE, PAST_SAFE));
    expect(rounded.stdout).toContain('18446744T 9007T ACCEPT');
  });

  it('run --json writes the loaded counts as exact numbers, and as text in exact', () => {
    const r = nfdb(['run', '--rules', '-', '--json'], rules(NEAR_MAX, PAST_SAFE, PAST_SAFE));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `"counters":{"packets":${NEAR_MAX},"bytes":${PAST_SAFE},"exact":{"packets":"${NEAR_MAX}","bytes":"${PAST_SAFE}"}}`,
    );
    expect(r.stdout).not.toContain('18446744073709452000');
  });

  it('a count of 2^64 is refused at its line and column', () => {
    const r = nfdb(['check', '-'], rules(1n << 64n, 0n, 0n));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '<stdin>:5:2: error: packets counter does not fit in 64 bits (expected a count from 0 to 18446744073709551615, found "18446744073709551616")',
    );
  });
});
