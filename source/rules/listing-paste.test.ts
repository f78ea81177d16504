/**
 * A listing as people paste it: callouts and arrows they add, and host names where the listing
 * was made without -n. Each is read, said in a warning at its place, and never guessed.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/index.js';
import { readResolve } from './host-names.js';
import { formatDiagnostic } from './index.js';
import { stripAnnotations } from './listing-annotations.js';
import { parseListingLines } from './listing-format.js';
import { toIptablesSave } from './save.js';

const COLUMNS = ' pkts bytes target     prot opt in     out     source               destination';
const HEADER = ['Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)', COLUMNS];

function read(rules: readonly string[], hosts?: ReturnType<typeof readResolve>) {
  const diagnostics: Diagnostic[] = [];
  const rulesets = parseListingLines(
    [...HEADER, ...rules],
    { file: 'p.txt', table: 'nat', hosts: hosts?.ok ? hosts.hosts : undefined },
    diagnostics,
  );
  const saved = rulesets.map((r) => toIptablesSave(r).split('\n'));
  return {
    rules: saved.flat().filter((l) => l.startsWith('-A')),
    problems: diagnostics.map(formatDiagnostic),
  };
}

describe('annotations pasted into a listing', () => {
  it('are taken off a rule line, with a warning at their column', () => {
    const r = read([
      '    5   300 REDIRECT   tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 redir ports 15001   <-- here',
      '(1)    0     0 RETURN     all  --  *      *       0.0.0.0/0            0.0.0.0/0            owner UID match 1337',
      '    0     0 RETURN     all  --  *      *       127.0.0.6            0.0.0.0/0      (2)',
    ]);
    expect(r.rules).toEqual([
      '-A OUTPUT -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 15001',
      '-A OUTPUT -m owner --uid-owner 1337 -j RETURN',
      '-A OUTPUT -s 127.0.0.6/32 -j RETURN',
    ]);
    expect(r.problems).toEqual([
      'p.txt:3:121: warning: "<-- here" is no text of iptables -L: taken for a note added to the listing, and ignored',
      'p.txt:4:1: warning: "(1)" is no text of iptables -L: taken for a note added to the listing, and ignored',
      'p.txt:5:84: warning: "(2)" is no text of iptables -L: taken for a note added to the listing, and ignored',
    ]);
  });

  it('are never found inside the rule’s own quoted text', () => {
    const line =
      '    0     0 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* keep # this <-- */';
    expect(stripAnnotations(line)).toEqual({ text: line, found: [] });
    expect(stripAnnotations(`${line} # mine`).found).toEqual([
      { at: line.length + 1, text: '# mine' },
    ]);
  });
});

describe('host names in a listing made without -n', () => {
  it('reads localhost as the loopback address, and says so', () => {
    const r = read([
      '    0     0 RETURN     all  --  *      *       0.0.0.0/0            localhost',
    ]);
    expect(r.rules).toEqual(['-A OUTPUT -d 127.0.0.1/32 -j RETURN']);
    expect(r.problems).toEqual([
      'p.txt:3:69: warning: host name "localhost" read as 127.0.0.1 (the loopback\'s address, as /etc/hosts gives it) in the destination column',
    ]);
  });

  it('takes other names from --resolve, and asks for it where none is given', () => {
    const line = '    0     0 RETURN     all  --  *      *       db.internal          0.0.0.0/0';
    const given = read([line], readResolve(['db.internal=10.1.2.3']));
    expect(given.rules).toEqual(['-A OUTPUT -s 10.1.2.3/32 -j RETURN']);
    expect(given.problems[0]).toContain('read as 10.1.2.3 (--resolve db.internal=10.1.2.3)');
    const missing = read([line]);
    expect(missing.problems).toEqual([
      'p.txt:3:48: warning: host name "db.internal" in the source column: the listing was made without -n; the rule is kept and not simulated (expected an address (list with -n), or --resolve db.internal=ADDR, found "db.internal")',
    ]);
  });

  it('refuses a --resolve value that is not NAME=ADDR', () => {
    expect(readResolve(['db=10.0.0.1', 'db=fd00::1']).ok).toBe(true);
    expect(readResolve(['db:10.0.0.1'])).toEqual({ ok: false, bad: 'db:10.0.0.1' });
    expect(readResolve(['db=nowhere'])).toEqual({ ok: false, bad: 'db=nowhere' });
  });
});
