import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/index.js';
import { type ListingOptions, parseListingLines } from './listing-format.js';
import { toIptablesSave } from './save.js';
import { problemText } from './test-helpers.js';

/** The listing read back, printed as iptables-save -c, and its diagnostics with severity. */
function read(text: string, options: Partial<ListingOptions> = {}) {
  const diagnostics: Diagnostic[] = [];
  const rulesets = parseListingLines(text.split('\n'), { file: 'l.txt', ...options }, diagnostics);
  return {
    saved: rulesets.map((r) => `${r.family}\n${toIptablesSave(r, { counters: true })}`),
    problems: diagnostics.map((d) => `${d.severity} ${problemText(d)}`),
  };
}

const COLUMNS = ' pkts bytes target     prot opt in     out     source               destination';

describe('parseListingLines reads `iptables -t nat -L -v -n` back into rules', () => {
  const listing = [
    'Chain PREROUTING (policy ACCEPT 12 packets, 720 bytes)',
    COLUMNS,
    '    3   180 ISTIO_INBOUND  tcp  --  *      *       0.0.0.0/0            0.0.0.0/0',
    '',
    'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
    COLUMNS,
    '',
    'Chain OUTPUT (policy ACCEPT 1K packets, 60000 bytes)',
    COLUMNS,
    '    5   300 ISTIO_REDIRECT  tcp  --  *      lo      0.0.0.0/0           !127.0.0.1/32         owner UID match 1337',
    '',
    'Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)',
    COLUMNS,
    '',
    'Chain ISTIO_INBOUND (1 references)',
    COLUMNS,
    '    0     0 RETURN     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:15008',
    '',
    'Chain ISTIO_REDIRECT (1 references)',
    COLUMNS,
    '    0     0 REDIRECT   tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 15001',
  ].join('\n');

  it('turns each line back into the rule that prints it, the table told by its chains', () => {
    const { saved } = read(listing);
    expect(saved).toEqual([
      [
        'ipv4',
        '*nat',
        ':PREROUTING ACCEPT [12:720]',
        ':INPUT ACCEPT [0:0]',
        ':OUTPUT ACCEPT [1000:60000]',
        ':POSTROUTING ACCEPT [0:0]',
        ':ISTIO_INBOUND - [0:0]',
        ':ISTIO_REDIRECT - [0:0]',
        '[3:180] -A PREROUTING -p tcp -j ISTIO_INBOUND',
        '[5:300] -A OUTPUT ! -d 127.0.0.1/32 -o lo -p tcp -m owner --uid-owner 1337 -j ISTIO_REDIRECT',
        '[0:0] -A ISTIO_INBOUND -p tcp -m tcp --dport 15008 -j RETURN',
        '[0:0] -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
        'COMMIT',
        '',
      ].join('\n'),
    ]);
  });

  it('warns at the count that -L rounded (1K), since only -x prints exact counts', () => {
    expect(read(listing).problems).toEqual([
      'warning 8:29 counter 1K is rounded by the listing; use -x for exact counts (undefined; undefined)',
    ]);
  });

  it('notes a chain that the listing jumps to fewer times than its reference count', () => {
    const cut = listing.replace('ISTIO_REDIRECT (1 references)', 'ISTIO_REDIRECT (2 references)');
    expect(read(cut).problems).toContain(
      'note 19:1 chain ISTIO_REDIRECT has 2 references but the listing jumps to it 1 times: is part of the listing missing? (undefined; undefined)',
    );
  });

  it('refuses a line after the chains that is not a rule line', () => {
    const { problems } = read(`${listing}\nstray words here`);
    expect(problems.at(-1)).toBe(
      'error 22:1 not a rule line of the listing (the columns PKTS BYTES TARGET PROT OPT IN OUT SOURCE DESTINATION then the match and target text; stray words here)',
    );
  });
});

describe('parseListingLines with less than -v -n', () => {
  it('reads a listing without -v, warning that interfaces and counters are unknown', () => {
    const { saved, problems } = read(
      [
        'Chain INPUT (policy DROP)',
        'target     prot opt source               destination',
        'ACCEPT     all  --  anywhere             anywhere',
      ].join('\n'),
      { table: 'filter' },
    );
    expect(saved[0]).toContain('\n:INPUT DROP [0:0]\n');
    expect(saved[0]).toContain('\n[0:0] -A INPUT -j ACCEPT\n');
    expect(problems).toEqual([
      'warning 2:1 this listing has no in/out columns (made without -v): interface matches and counters are not known (the output of iptables -L -v -n -x; undefined)',
    ]);
  });

  it('takes the family from the addresses it shows', () => {
    const { saved } = read(
      [
        'Chain INPUT (policy DROP 0 packets, 0 bytes)',
        COLUMNS,
        '    0     0 ACCEPT     all  --  *      *       ::/0            ::1',
      ].join('\n'),
      { table: 'filter' },
    );
    expect(saved[0]?.split('\n')[0]).toBe('ipv6');
    expect(saved[0]).toContain('\n[0:0] -A INPUT -d ::1/128 -j ACCEPT\n');
  });
});

describe('parseListingLines refuses or reads what a damaged or multi-table listing holds', () => {
  it('a column header without destination is refused at its line, the rules are not read', () => {
    const { problems, saved } = read(
      [
        'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
        ' pkts bytes target     prot opt in     out     source',
        '    0     0 ACCEPT     all  --  *      *       0.0.0.0/0',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^error 2:2 the column header has no destination column/),
    ]);
    expect(saved.join('')).not.toContain('-A INPUT');
  });

  it('a column header that names a column twice is refused', () => {
    const { problems } = read(
      [
        'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
        `${COLUMNS} source`,
        '    0     0 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0 0.0.0.0/0',
      ].join('\n'),
    );
    expect(problems[0]).toMatch(/^error 2:2 the column header names source twice/);
  });

  it('reads the `# iptables -t T -L -v -n` prompts of nfdb run --list as one table each', () => {
    const { problems, saved } = read(
      [
        '# host server',
        '# iptables -t raw -L -v -n',
        'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
        COLUMNS,
        '',
        '# iptables -t nat -L -v -n',
        'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
        COLUMNS,
        '    0     0 REDIRECT   udp  --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 53',
        '[root@node ~]# iptables -t filter -L -v -n',
        'Chain INPUT (policy DROP 0 packets, 0 bytes)',
        COLUMNS,
        '# host other',
        '# iptables -t nat -L -v -n',
        'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^warning 13:1 a listing of several hosts: only the first host's rules/,
      ),
    ]);
    const text = saved.join('');
    expect(text).toContain('*raw');
    expect(text).toMatch(/\*nat\n:PREROUTING ACCEPT \[0:0\][^*]*-A PREROUTING -p udp/);
    expect(text).toContain(':INPUT DROP');
  });
});
