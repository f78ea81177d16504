/** `nfdb run` and the UI's fallback without a terminal, through the built CLI. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfdb, ROOT } from './helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'nfdb-run-'));

describe('nfdb run', () => {
  it('walks through the built-in bookinfo scenario and says the reply is not redirected', () => {
    const r = nfdb(['run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Connection 2: envoy@reviews → 10.0.0.2:9080 from 127.0.0.6');
    expect(r.stdout).toContain(
      'nat OUTPUT is not consulted: not the first packet of the connection (conntrack reply)',
    );
    expect(r.stdout).toContain(
      'No loop: every connection a proxy opened (2) was let out and reached its destination.',
    );
  });

  it('opens with the findings, before the path in brief, and ends with them', () => {
    const lines = nfdb(['run']).stdout.trimEnd().split('\n');
    const head = lines.indexOf('Findings');
    const brief = lines.indexOf('The path in brief (step numbers in brackets)');
    expect(head).toBe(3);
    expect(brief).toBeGreaterThan(head);
    expect(lines[head + 1]).toMatch(
      /^ {2}1\. productpage → reviews:9080: delivered to envoy \(uid 1337\) on 0\.0\.0\.0:15006 \[step \d+\]/,
    );
    const tail = lines.slice(lines.lastIndexOf('Findings'));
    expect(tail).toEqual(lines.slice(head, brief - 1));
    expect(tail.some((l) => l.includes('Replies never enter nat'))).toBe(true);
  });

  it('opens with the path in brief, where the app reply to envoy skips the nat table', () => {
    const lines = nfdb(['run']).stdout.split('\n');
    const start = lines.indexOf('The path in brief (step numbers in brackets)');
    const end = lines.indexOf('Every step');
    const brief = lines.slice(start, end);
    const appReply = brief.findIndex((l) =>
      l.includes('reviews on reviews sends SYN-ACK 10.0.0.2:9080 → 127.0.0.6'),
    );
    expect(appReply).toBeGreaterThan(0);
    expect(brief[appReply + 1]).toContain('reviews OUTPUT: nat OUTPUT is not consulted');
    expect(
      brief.some((l) =>
        l.endsWith('nat ISTIO_OUTPUT 4: -m owner --uid-owner 1337 -j RETURN (matches: RETURN)'),
      ),
    ).toBe(true);
  });

  it('narrows every step to one connection with --connection, and refuses one that is not there', () => {
    const out = nfdb(['run', '--connection', '2']).stdout;
    expect(out).toContain('Every step of connection 2');
    expect(out).toContain('Connection 2: ');
    expect(out).not.toMatch(/^Connection [134]: /m);
    const wrong = nfdb(['run', '--connection', '9']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--connection 9: the scenario has connections 1 to 4');
  });

  it('prints every host counters as iptables-save -c after # host lines', () => {
    const r = nfdb(['run', '--counters']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('# host '))).toEqual([
      '# host productpage',
      '# host reviews',
      '# host ratings',
    ]);
    expect(r.stdout).toContain('[1:60] -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006');
  });

  it('prints the listings, and the whole trace as JSON', () => {
    const list = nfdb(['run', '--list', '-x']);
    expect(list.stdout).toContain('# iptables -t nat -L -v -n -x');
    expect(list.stdout).toMatch(/Chain ISTIO_REDIRECT \(1 references\)/);
    const json = JSON.parse(nfdb(['run', '--json']).stdout);
    expect(json.connections).toHaveLength(4);
    expect(json.steps.length).toBeGreaterThan(400);
  });

  it('runs a scenario file and reports a loop', () => {
    const r = nfdb(['run', join(ROOT, 'snapshots/what-if-loop.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'Loop: envoy on pod re-opens 10.0.0.3:9080 into its own listener (4 rounds) [step 287]',
    );
    expect(r.stdout).toContain('      ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001');
    expect(r.stdout).toMatch(/^ +287 +pod +stop +loop: /m);
  });

  it('names the wrong field of a bad scenario and exits 1, without a stack trace', () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({ hosts: [{ name: 'a', forwarding: 'yes' }] }));
    const r = nfdb(['run', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('hosts[0].forwarding: Invalid input: expected boolean');
    expect(r.stderr).not.toMatch(/\s+at /);
  });

  it('refuses two output modes at once (exit 2)', () => {
    expect(nfdb(['run', '--json', '--counters']).status).toBe(2);
  });
});

describe('nfdb without a terminal', () => {
  it('prints the walkthrough instead of drawing', () => {
    const r = nfdb([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nfdb: bookinfo');
    expect(r.stdout).not.toContain('\x1b[?1049h');
  });

  it('places --rules in the sidecar pod', () => {
    const rules = join(tmp, 'mine.rules');
    writeFileSync(
      rules,
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n',
    );
    const r = nfdb(['--rules', rules, '--no-tui']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `nfdb: ${rules} (as iptables-nft loads it) in the reviews sidecar pod`,
    );
    expect(r.stdout).not.toContain('envoy@reviews');
  });

  it('says where a rule it does not simulate stopped it, with the rule by its text', () => {
    const rules = join(tmp, 'foo.rules');
    writeFileSync(
      rules,
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -p tcp -m physdev --bar 1 -j REDIRECT --to-ports 15001\nCOMMIT\n',
    );
    const out = nfdb(['--rules', rules, '--no-tui']).stdout;
    expect(out).toMatch(
      /stopped on reviews at nat OUTPUT 1: -p tcp -m physdev --bar 1 -j REDIRECT --to-ports 15001: -m physdev is not simulated \[step \d+\]/,
    );
    expect(out).toContain(
      '      at OUTPUT 1: -p tcp -m physdev --bar 1 -j REDIRECT --to-ports 15001',
    );
  });

  it('loads --rules as --backend says: legacy walks every built-in chain, nft only those named', () => {
    const rules = join(tmp, 'min.cmds');
    writeFileSync(
      rules,
      'iptables -t nat -A OUTPUT -p tcp -m owner ! --uid-owner 1337 -j REDIRECT --to-ports 15001\n',
    );
    const nft = nfdb(['--rules', rules, '--no-tui']);
    const legacy = nfdb(['--rules', rules, '--no-tui', '--backend', 'legacy']);
    expect(legacy.stdout).toContain('(as iptables-legacy loads it)');
    expect(legacy.stdout).toMatch(/nat POSTROUTING: policy ACCEPT/);
    expect(nft.stdout).not.toMatch(/nat POSTROUTING: policy ACCEPT/);
    expect(nfdb(['--rules', rules, '--backend', 'both']).status).toBe(2);
  });
});

describe('nfdb run --proxy-mode rewrite (nfdb hypothesis, issue 11)', () => {
  const hypothesis =
    "rewrite mode is nfdb's hypothesis: no real proxy does this; nothing checks it against the kernel";
  const findings = (out: string) => {
    const lines = out.split('\n');
    return lines.slice(
      lines.indexOf('Findings'),
      lines.indexOf('The path in brief (step numbers in brackets)'),
    );
  };

  it('outbound: the rewritten packet matches the app entry and loops back to 15001', () => {
    const r = nfdb([
      'run',
      join(ROOT, 'snapshots/sidecar-outbound.json'),
      '--proxy-mode',
      'rewrite',
    ]);
    expect(r.status).toBe(0);
    const head = findings(r.stdout);
    expect(head[1]).toMatch(
      new RegExp(
        `^ {2}Hypothesis: envoy on pod rewrites packets instead of opening connections: ${hypothesis} \\[step \\d+\\]$`,
      ),
    );
    expect(head).toContainEqual(
      expect.stringMatching(
        /^ {2}Loop: envoy on pod rewrites the packet for 10\.0\.0\.3:9080, and it comes back to its own listener \(4 rounds\): the rewritten packet matches the client's own conntrack entry pod#1 in its original direction, so conntrack redirects it again/,
      ),
    );
    expect(head).toContain('      ISTIO_REDIRECT 1: -p tcp -j REDIRECT --to-ports 15001');
    expect(r.stdout).toContain(
      'conntrack: original direction of tcp src=10.0.0.2 dst=10.0.0.3 sport=40000 dport=9080: NEW',
    );
    expect(r.stdout).toContain('envoy on pod sends SYN (rewritten) 10.0.0.2:40000 → 10.0.0.3:9080');
  });

  it('inbound (the built-in bookinfo): envoy rewrites to the app, and conntrack sends it back to 15006', () => {
    const r = nfdb(['run', '--proxy-mode', 'rewrite']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'envoy (uid 1337) does not accept on its inbound (15006) listener: it rewrites the packet to the original destination 10.0.0.2:9080',
    );
    expect(findings(r.stdout)).toContainEqual(
      expect.stringMatching(
        /^ {2}1\. productpage → reviews:9080: packet 4 looped on reviews: envoy has been sent to 10\.0\.0\.2:9080 4 times/,
      ),
    );
    expect(r.stdout).not.toContain('opens a NEW connection');
  });

  it('runs the shipped what-if-rewrite scenario, and --proxy-mode terminate undoes it', () => {
    const file = join(ROOT, 'snapshots/what-if-rewrite.json');
    expect(nfdb(['run', file]).stdout).toContain(hypothesis);
    const terminate = nfdb(['run', file, '--proxy-mode', 'terminate']).stdout;
    expect(terminate).not.toContain(hypothesis);
    expect(terminate).toContain('opens a NEW connection');
  });

  it('writes the hypothesis and the loop cause into --json', () => {
    const trace = JSON.parse(nfdb(['run', '--proxy-mode', 'rewrite', '--json']).stdout);
    expect(trace.findings.map((f: { kind: string }) => f.kind)).toEqual([
      'hypothesis',
      'loop',
      'loop',
    ]);
    expect(trace.findings[1].cause).toEqual({
      kind: 'rewritten-packet-matches-entry',
      entry: 'reviews#1',
    });
  });

  it('refuses a mode it does not know, and the flag where it does not apply (exit 2)', () => {
    const bad = nfdb(['run', '--proxy-mode', 'forward']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--proxy-mode "forward": expected terminate or rewrite');
    const check = nfdb([
      'check',
      '--proxy-mode',
      'rewrite',
      join(ROOT, 'snapshots/rules/istio-sidecar.rules'),
    ]);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('--proxy-mode does not apply to');
  });

  it('applies to the UI too (its fallback without a terminal)', () => {
    const r = nfdb(['--proxy-mode', 'rewrite', '--no-tui']);
    expect(r.status).toBe(0);
    // The first line is the UI's title too.
    expect(r.stdout.split('\n')[0]).toBe(
      "nfdb: bookinfo: productpage → reviews (sidecar) → ratings (if envoy rewrote packets: nfdb's hypothesis, no kernel to compare with)",
    );
    expect(r.stdout).toContain(hypothesis);
  });
});
