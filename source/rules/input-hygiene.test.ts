/**
 * Inputs that used to be misread without a word (issue 17): repeated generic options, one IPv6
 * address in an IPv4 file, Windows line ends and a byte order mark; and error text that must stay
 * readable whatever the input (invisible characters named, long text cut).
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseRules } from './index.js';
import { lines } from './test-helpers.js';

const check = (text: string) =>
  parseRules(text, { file: 'f.rules' }).diagnostics.map(formatDiagnostic);

const filter = (...rules: string[]) => lines('*filter', ':INPUT ACCEPT [0:0]', ...rules, 'COMMIT');

describe('a generic option given twice is refused, as iptables does', () => {
  it.each([
    ['-A INPUT -p tcp -p udp -j ACCEPT', '3:17: error: multiple -p flags not allowed'],
    ['-A INPUT -s 1.1.1.1 -s 2.2.2.2 -j ACCEPT', '3:21: error: multiple -s flags not allowed'],
    ['-A INPUT -d 1.1.1.1 ! -d 2.2.2.2 -j ACCEPT', '3:23: error: multiple -d flags not allowed'],
    ['-A INPUT -i lo -i eth0 -j ACCEPT', '3:16: error: multiple -i flags not allowed'],
    ['-A INPUT -o lo --out-interface eth0 -j ACCEPT', 'error: multiple -o flags not allowed'],
    ['-A INPUT -f -f -j ACCEPT', 'error: multiple -f flags not allowed'],
  ])('%s', (rule, message) => {
    const found = check(filter(rule));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it('while -m and each module option once stay allowed', () => {
    expect(
      check(filter('-A INPUT -p tcp -m tcp --dport 80 -m comment --comment x -j ACCEPT')),
    ).toEqual([]);
  });
});

describe('the family of a file is the one most of its addresses are in', () => {
  it('one IPv6 address in an IPv4 file: that line is wrong, not the others', () => {
    const found = check(
      filter(
        '-A INPUT -s 10.0.0.1 -j ACCEPT',
        '-A INPUT -s fd00::1 -j ACCEPT',
        '-A INPUT -d 10.0.0.2 -j ACCEPT',
      ),
    );
    expect(found).toEqual([expect.stringMatching(/^f\.rules:4:13: error: bad address "fd00::1"/)]);
  });

  it('an IPv6 file stays IPv6', () => {
    expect(check(filter('-A INPUT -s fd00::1 -j ACCEPT', '-A INPUT -d ::1/128 -j ACCEPT'))).toEqual(
      [],
    );
  });
});

describe('Windows line ends and a byte order mark', () => {
  it('are read as if absent, with a warning each that says iptables-restore refuses them', () => {
    const text = `\ufeff${filter('-A INPUT -s 1.2.3.4 -j ACCEPT').replace(/\n/g, '\r\n')}`;
    const result = parseRules(text, { file: 'f.rules' });
    expect(result.rulesets[0]?.tables[0]?.chains[0]?.rules).toHaveLength(1);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^f\.rules:1:1: warning: .*byte order mark \(U\+FEFF\).*refuses/),
      expect.stringMatching(/^f\.rules:1:1: warning: Windows line ends \(CRLF\).*refuses/),
    ]);
  });

  it('the same in every format', () => {
    const commands = 'iptables -A INPUT -s 1.2.3.4 -j ACCEPT\r\n';
    expect(check(commands)).toEqual([expect.stringContaining('warning: Windows line ends')]);
  });
});

describe('error text stays readable', () => {
  it('an invisible character in the found text is written as its code', () => {
    const found = check(filter('-A INPUT -j\u200bACCEPT'));
    expect(found.join('\n')).toContain('\\u200b');
  });

  it('a long found text is cut, with how long it was', () => {
    // An interface name longer than the kernel's 15 characters (a long comment is cut, not refused).
    const found = check(filter(`-A INPUT -i ${'x'.repeat(100_000)}`));
    expect(found).toHaveLength(1);
    expect(found[0]?.length).toBeLessThan(1000);
    expect(found[0]).toMatch(/x…" \(100,000 characters in all\)/);
  });
});
