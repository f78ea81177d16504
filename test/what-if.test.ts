/** `nfdb run --edit/--set/--compare`, through the built CLI (issue 11, what-if). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonSchema } from '../source/trace/diff/schema.js';
import { nfdb, ROOT } from './helpers/cli.js';

const OUTBOUND = join(ROOT, 'snapshots/sidecar-outbound.json');
const NO_UID = '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN';
const NO_GID = '-t nat -D ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN';

describe('nfdb run --edit --compare', () => {
  it('shows envoy’s connection looping without its uid and gid RETURNs, rule by rule', () => {
    const r = nfdb(['run', OUTBOUND, '--edit', NO_UID, '--edit', NO_GID, '--compare']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(1, 3)).toEqual([`  pod: iptables ${NO_UID}`, `  pod: iptables ${NO_GID}`]);
    const envoy = lines.findIndex((l) => l.startsWith('  traffic 1 > envoy 1 ('));
    expect(lines.slice(envoy, envoy + 7)).toEqual([
      '  traffic 1 > envoy 1 (envoy@pod → 10.0.0.3:9080): outcome changed',
      '    before: delivered to other (uid 1000) on 0.0.0.0:9080',
      '    after:  delivered to envoy (uid 1337) on 0.0.0.0:15001',
      '    first difference, packet 1 (SYN):',
      expect.stringMatching(
        /^ {6}before: pod OUTPUT nat ISTIO_OUTPUT 4: -m owner --uid-owner 1337 -j RETURN → RETURN \[step \d+\]$/,
      ),
      expect.stringMatching(
        /^ {6}after: {2}pod OUTPUT nat ISTIO_OUTPUT 7: -j ISTIO_REDIRECT → jump ISTIO_REDIRECT \[step \d+\]$/,
      ),
      expect.stringMatching(/only in the what-if: delivered to envoy/),
    ]);
    expect(lines).toContain(
      '  pod nat ISTIO_OUTPUT 7: -j ISTIO_REDIRECT: 1 → 4 packets, 60 → 240 bytes',
    );
    expect(
      lines.some((l) => l.startsWith('  added: loop: envoy on pod re-opens 10.0.0.3:9080')),
    ).toBe(true);
  });

  it('excludes the inbound port on the built-in scenario: the app gets the connection itself', () => {
    const r = nfdb([
      'run',
      '--edit',
      '-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN',
      '--compare',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '  reviews: iptables -t nat -I ISTIO_INBOUND 1 -p tcp -m tcp --dport 9080 -j RETURN',
    );
    expect(r.stdout).toContain(
      '  traffic 1 (productpage → reviews:9080): outcome changed\n    before: delivered to envoy (uid 1337) on 0.0.0.0:15006\n    after:  delivered to reviews (uid 1000) on 0.0.0.0:9080',
    );
  });

  it('prints the comparison as data with --json', () => {
    const r = nfdb([
      'run',
      OUTBOUND,
      '--set',
      'hosts.pod.processes.envoy.uid=1000',
      '--compare',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(comparisonSchema.safeParse(data).error).toBeUndefined();
    expect(data.sets).toEqual(['hosts.pod.processes.envoy.uid=1000']);
    expect(data.diff.connections[0].outcomeAfter).toMatchObject({ process: 'envoy', uid: 1000 });
  });

  it('runs the edited scenario without --compare', () => {
    const r = nfdb(['run', OUTBOUND, '--edit', NO_UID, '--edit', NO_GID]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}Loop: envoy on pod re-opens 10\.0\.0\.3:9080/m);
    expect(r.stdout).toContain(
      "    why: envoy's own connection re-enters 15001 with the same original destination 10.0.0.3:9080 (round 4): nothing in ISTIO_OUTPUT returns uid 1337 or gid 1337\n",
    );
  });

  it('refuses an edit that does not parse, with its column', () => {
    const r = nfdb([
      'run',
      OUTBOUND,
      '--edit',
      '-t nat -A ISTIO_OUTPUT -p tcp --dprot 80 -j RETURN',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nfdb: --edit \'-t nat -A ISTIO_OUTPUT -p tcp --dprot 80 -j RETURN\':1:31: error: unknown option "--dprot": did you mean --dport? (expected a generic option or -m MODULE first, found "--dprot")\n',
    );
  });

  it('refuses an edit that does not apply, naming it and iptables’ reason', () => {
    const r = nfdb(['run', OUTBOUND, '--edit', 'pod: -t nat -D ISTIO_OUTPUT 12', '--compare']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "nfdb: --edit 'pod: -t nat -D ISTIO_OUTPUT 12' on pod: iptables -t nat -D ISTIO_OUTPUT 12: Index of deletion too big\n",
    );
    const host = nfdb(['run', OUTBOUND, '--edit', 'db: -t nat -F']);
    expect(host.stderr).toBe('nfdb: --edit \'db: -t nat -F\': no host "db" in the scenario\n');
  });

  it('refuses a world edit that the scenario format refuses, with its path', () => {
    const r = nfdb(['run', OUTBOUND, '--set', 'hosts.pod.processes.envoy.uid=abc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nfdb: --set hosts.pod.processes.envoy.uid=abc: hosts[0].processes[1].uid: Invalid input: expected number, received string\n',
    );
  });

  it('is misuse to compare without an edit, or to ask for counters of a comparison', () => {
    expect(nfdb(['run', '--compare']).status).toBe(2);
    expect(nfdb(['run', '--edit', '-F', '--compare', '--counters']).status).toBe(2);
    expect(nfdb(['check', '--edit', '-F', 'x']).status).toBe(2);
  });

  it('takes --rules for run as the UI does', () => {
    const rules = join(ROOT, 'snapshots/rules/istio-sidecar-no-uid-exclusion.rules');
    const r = nfdb(['run', '--rules', rules, '--edit', '-t nat -F ISTIO_OUTPUT', '--compare']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  reviews: iptables -t nat -F ISTIO_OUTPUT');
  });
});
