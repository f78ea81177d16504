import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/index.js';
import { parseIstioGolden } from './istio-format.js';
import { problemText } from './test-helpers.js';

function read(lines: string[]) {
  const diagnostics: Diagnostic[] = [];
  const rulesets = parseIstioGolden(lines, 'golden.rules', diagnostics);
  const chains = rulesets.map(
    (r) =>
      `${r.family}: ${r.tables.map((t) => `${t.name} ${t.chains.map((c) => `${c.name}[${c.rules.length}]`).join(' ')}`).join('; ')}`,
  );
  return { rulesets, chains, problems: diagnostics.map(problemText) };
}

describe('parseIstioGolden', () => {
  // The head of corpus/istio/capture-ipv6-dns-uid-gid.rules, shortened: the marker lines, then
  // the IPv4 restore input, then the IPv6 one from the second `* nat`.
  const golden = [
    'iptables-save',
    'ip6tables-save',
    '* nat',
    '-N ISTIO_REDIRECT',
    '-N ISTIO_OUTPUT',
    '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
    '-A OUTPUT -j ISTIO_OUTPUT',
    '-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN',
    'COMMIT',
    '* nat',
    '-N ISTIO_REDIRECT',
    '-N ISTIO_OUTPUT',
    '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
    '-A OUTPUT -j ISTIO_OUTPUT',
    '-A ISTIO_OUTPUT -o lo -s ::6/128 -j RETURN',
    'COMMIT',
  ];

  it('splits a dual-stack golden at the second header of its first table', () => {
    const { rulesets, chains, problems } = read(golden);
    expect(problems).toEqual([]);
    expect(chains).toEqual([
      'ipv4: nat PREROUTING[0] INPUT[0] OUTPUT[1] POSTROUTING[0] ISTIO_OUTPUT[1] ISTIO_REDIRECT[1]',
      'ipv6: nat PREROUTING[0] INPUT[0] OUTPUT[1] POSTROUTING[0] ISTIO_OUTPUT[1] ISTIO_REDIRECT[1]',
    ]);
    expect(rulesets[1]?.tables[0]?.chains[4]?.rules[0]?.source?.value).toEqual({
      address: '::6',
      prefix: 128,
    });
  });

  it('numbers the lines of the IPv6 part as lines of the whole file', () => {
    const { rulesets } = read(golden);
    // `-A ISTIO_OUTPUT -o lo -s ::6/128` is line 15 of the golden; its chain name at column 4.
    expect(rulesets[1]?.tables[0]?.chains[4]?.rules[0]?.origin).toEqual({
      file: 'golden.rules',
      line: 15,
      column: 4,
    });
  });

  it('reads a single-stack golden as IPv4 only, the marker lines skipped', () => {
    const { chains, problems } = read(golden.slice(0, 9));
    expect(problems).toEqual([]);
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatch(/^ipv4: nat /);
  });

  it('allows -N of a chain that exists, as istio-iptables writes it', () => {
    const { problems } = read(['* nat', '-N A', '-N A', 'COMMIT']);
    expect(problems).toEqual([]);
  });

  it('reports a problem of the IPv6 part at its line in the file', () => {
    const lines = [...golden];
    lines[13] = '-A NOPE -j RETURN';
    expect(read(lines).problems).toEqual([
      '14:4 chain "NOPE" does not exist in table nat (a chain declared before use (-N or :CHAIN); NOPE)',
    ]);
  });
});
