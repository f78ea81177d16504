import { describe, expect, it } from 'vitest';
import type { Diagnostic, Family, Ruleset, TableName } from '../model/index.js';
import { parseCommandLines } from './lines-format.js';
import { problemText } from './test-helpers.js';

function read(lines: string[], options: { commands: boolean; table?: TableName; family?: Family }) {
  const diagnostics: Diagnostic[] = [];
  const rulesets = parseCommandLines(
    lines,
    {
      file: 'c',
      family: options.family ?? 'ipv4',
      table: options.table,
      commands: options.commands,
    },
    diagnostics,
  );
  return { rulesets, problems: diagnostics.map(problemText) };
}

/** `family table: CHAIN[n rules] ...` for every table with a rule or a user chain. */
const shape = (rulesets: readonly Ruleset[]) =>
  rulesets.flatMap((r) =>
    r.tables.map(
      (t) =>
        `${r.family} ${t.name}: ${t.chains
          .filter((c) => !c.builtin || c.rules.length > 0 || c.policy !== 'ACCEPT')
          .map((c) => `${c.name}${c.policy ? `/${c.policy}` : ''}[${c.rules.length}]`)
          .join(' ')}`,
    ),
  );

describe('parseCommandLines reads files of iptables commands', () => {
  it('takes the family from the program and the table from -t (lines from corpus/consul)', () => {
    const { rulesets, problems } = read(
      [
        '# set up by consul',
        'iptables -t nat -N CONSUL_DNS_REDIRECT',
        'iptables -t nat -A CONSUL_DNS_REDIRECT -p udp -d 10.0.34.16 --dport 53 -j DNAT --to-destination 10.0.34.16:8600',
        'iptables -t nat -A OUTPUT -p udp -d 10.0.34.16 --dport 53 -j CONSUL_DNS_REDIRECT',
        '',
        'sudo /usr/sbin/ip6tables-nft -w 5 -t mangle -A PREROUTING -j ACCEPT',
        'iptables-legacy -P FORWARD DROP',
      ],
      { commands: true },
    );
    expect(problems).toEqual([]);
    expect(shape(rulesets)).toEqual([
      'ipv4 filter: FORWARD/DROP[0]',
      'ipv4 nat: OUTPUT/ACCEPT[1] CONSUL_DNS_REDIRECT[1]',
      'ipv6 mangle: PREROUTING/ACCEPT[1]',
    ]);
  });

  it('refuses a line that is not an iptables command, at its first word', () => {
    const { rulesets, problems } = read(['echo hello', '  nft add table ip x'], { commands: true });
    expect(rulesets).toEqual([]);
    expect(problems).toEqual([
      '1:1 not an iptables command (iptables ... or ip6tables ...; echo)',
      '2:3 not an iptables command (iptables ... or ip6tables ...; nft)',
    ]);
  });

  it('refuses an unterminated quote at its column', () => {
    const { problems } = read(["iptables -A INPUT -m comment --comment 'x"], { commands: true });
    expect(problems).toEqual(['1:40 unterminated quoted string (a closing quote; end of line)']);
  });
});

describe('parseCommandLines reads `iptables -S` output of one table', () => {
  it('puts every line in the given table (corpus/docker iptablesdoc-usernet-portmap.nat.rules)', () => {
    const { rulesets, problems } = read(
      [
        '-P PREROUTING ACCEPT',
        '-N DOCKER',
        '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
        '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
        '-A DOCKER ! -i bridge1 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.0.2.2:80',
      ],
      { commands: false, table: 'nat' },
    );
    expect(problems).toEqual([]);
    expect(shape(rulesets)).toEqual([
      'ipv4 nat: PREROUTING/ACCEPT[1] POSTROUTING/ACCEPT[1] DOCKER[1]',
    ]);
  });

  it('takes filter when no table is given', () => {
    const { rulesets, problems } = read(['-P INPUT DROP'], { commands: false });
    expect(shape(rulesets)).toEqual(['ipv4 filter: INPUT/DROP[0]']);
    expect(problems).toEqual([]);
  });

  it('applies -F and -X in order: a rule after -X of its chain has no chain', () => {
    const { rulesets, problems } = read(
      ['-N X', '-A X -j ACCEPT', '-A INPUT -j ACCEPT', '-F X', '-X X', '-A X -j DROP'],
      { commands: false, table: 'filter' },
    );
    expect(shape(rulesets)).toEqual(['ipv4 filter: INPUT/ACCEPT[1]']);
    expect(problems).toEqual([
      '6:4 chain "X" does not exist in table filter (a chain declared before use (-N or :CHAIN); X)',
    ]);
  });
});
