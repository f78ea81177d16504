/**
 * `nfdb report` through the built CLI: markdown on standard output for a rules file or a
 * snapshot, the command that reproduces it, --format as the report's or the input's format.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const RULES = join(ROOT, 'snapshots/rules/istio-sidecar-no-uid-exclusion.rules');
const NO_STACK = /\n\s+at .+:\d+:\d+/;

describe('nfdb report', () => {
  it('reports a rules file as markdown, with the command that shows every step', () => {
    const r = nfdb(['report', '--rules', RULES, '--format', 'markdown']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^## nfdb: /);
    expect(r.stdout).toContain('```mermaid\nflowchart TD\n');
    expect(r.stdout).toContain('<summary>The rules involved (iptables-save)</summary>');
    expect(r.stdout).toContain(`To see every step: \`nfdb run --rules ${RULES}\``);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('takes any other --format for the input format of --rules', () => {
    const r = nfdb(['report', '--rules', RULES, '--format', 'iptables-save']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--format iptables-save');
  });

  it('says where a bad rules file is wrong, without a stack trace', () => {
    const r = nfdb(['report', '--rules', join(ROOT, 'test/inputs/missing-value.rules')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing-value\.rules:\d+:\d+/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('refuses a flag of run that a report has no use for', () => {
    const r = nfdb(['report', '--counters']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--counters does not apply to 'nfdb report'");
  });
});
