/**
 * The `iptables -L -v -n` listing read back: every table of the corpus survives
 * toListing → parseRules → toListing byte for byte (with -x, without it, with --line-numbers),
 * a listing pasted from a blog loads with the rules it shows, the CLI detects and loads a
 * listing file, and what a listing lost (rounded counts, names for numbers) is warned about at
 * its line and column.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule, Ruleset, Table } from '../source/model/index.js';
import { formatDiagnostic, parseRules, toIptablesSave } from '../source/rules/index.js';
import { toListing } from '../source/rules/listing.js';
import { summarize } from '../source/rules/summary.js';
import { gapText } from '../source/trace/words/index.js';
import { CORPUS, nfdb } from './helpers/cli.js';

const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(rules|cmds)$/.test(f))
  .sort();

const cases = files.flatMap((file) => {
  const result = parseRules(readFileSync(`${CORPUS}/${file}`, 'utf8'), { file });
  return result.rulesets.flatMap((ruleset) =>
    ruleset.tables.map((table) => ({
      name: `${file} ${ruleset.family} ${table.name}`,
      ruleset,
      table,
    })),
  );
});

function hasBigCounts(table: Table): boolean {
  return table.chains.some(
    (c) =>
      c.counters.packets > 99999 ||
      c.counters.bytes > 99999 ||
      c.rules.some((r) => r.counters.packets > 99999 || r.counters.bytes > 99999),
  );
}

function rulesOf(ruleset: Ruleset | undefined): Rule[] {
  return (ruleset?.tables ?? []).flatMap((t) => t.chains).flatMap((c) => c.rules);
}

/** A neutral name: the corpus names hint at tables and families the test gives itself. */
const LISTING = 'pasted.txt';
/** A table without rules shows no address: only a name like `x-ip6.txt` can say IPv6. */
const named = (r: Ruleset) => (r.family === 'ipv6' ? 'pasted-ip6.txt' : LISTING);

describe('the iptables -L listing read back', () => {
  it('has tables to read', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)('$name: exact listing round-trips byte for byte', ({ ruleset, table }) => {
    for (const lineNumbers of [false, true]) {
      const first = toListing(ruleset, { table: table.name, exact: true, lineNumbers });
      const again = parseRules(first, {
        file: named(ruleset),
        format: 'listing',
        table: table.name,
      });
      expect(again.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(again.rulesets).toHaveLength(1);
      expect(again.rulesets[0]?.family).toBe(ruleset.family);
      const back = again.rulesets[0] as Ruleset;
      expect(toListing(back, { table: table.name, exact: true, lineNumbers })).toBe(first);
      // The same rules, as iptables-save writes them (the listing never shows a hashlimit name).
      const save = (r: Ruleset) =>
        toIptablesSave(r, { counters: true }).replace(/ --hashlimit-name \S+/g, '');
      expect(save(back)).toBe(save({ ...ruleset, tables: [table] }));
    }
  });

  it.each(cases)(
    '$name: rounded listing round-trips, warning about rounding',
    ({ ruleset, table }) => {
      for (const lineNumbers of [false, true]) {
        const first = toListing(ruleset, { table: table.name, exact: false, lineNumbers });
        const again = parseRules(first, {
          file: named(ruleset),
          format: 'listing',
          table: table.name,
        });
        const messages = again.diagnostics.map(formatDiagnostic);
        for (const m of messages)
          expect(m).toMatch(
            /: warning: counters? .* rounded by the listing; use -x for exact counts/,
          );
        expect(messages.length > 0).toBe(hasBigCounts(table));
        const back = again.rulesets[0] as Ruleset;
        expect(toListing(back, { table: table.name, exact: false, lineNumbers })).toBe(first);
      }
    },
  );
});

/** Every phrase nfdb reads, each module with its options and negations, per table. */
const EVERY_PHRASE: readonly [family: 'ipv4' | 'ipv6', text: string][] = [
  [
    'ipv4',
    `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:GOTO - [0:0]
-A INPUT -p tcp -m tcp --sport 1:1023 ! --dport 22 --tcp-option 5 ! --tcp-flags SYN,ACK SYN -j ACCEPT
-A INPUT -p tcp -m tcp --syn -m comment --comment "hello: world -1" -g GOTO
-A INPUT -p udp -f -m udp ! --sport 53 --dport 1000:2000 -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 3/4 -j ACCEPT
-A INPUT -p icmp -m icmp ! --icmp-type any -j DROP
-A INPUT ! -p tcp -j DROP
-A INPUT -p tcp -m multiport ! --dports 80,443,8000:9000 -m multiport --sports 1,2 -j ACCEPT
-A INPUT -m conntrack ! --ctstate NEW --ctproto 6 --ctorigsrc 10.0.0.0/8 --ctorigdst 1.2.3.4 --ctreplsrc 10.1.0.0/16 ! --ctrepldst 10.2.0.0/16 --ctorigsrcport 1:2 --ctorigdstport 80 --ctreplsrcport 3 --ctrepldstport 4 --ctstatus ASSURED --ctexpire 10:20 --ctdir REPLY -j ACCEPT
-A INPUT -m conntrack --ctdir ORIGINAL -m conntrack --ctstate INVALID -j DROP
-A INPUT -m state ! --state RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m mark ! --mark 0x1/0xff -m connmark --mark 0x2 -m connmark ! --mark 0x3/0xf -j ACCEPT
-A INPUT -m addrtype --src-type LOCAL ! --dst-type UNICAST,BROADCAST --limit-iface-in -j ACCEPT
-A INPUT -m iprange ! --src-range 10.0.0.1-10.0.0.9 --dst-range 1.1.1.1-1.1.1.2 -j ACCEPT
-A INPUT -m length ! --length 100:200 -m limit --limit 10/sec --limit-burst 7 -j ACCEPT
-A INPUT -m limit --limit 3/hour -j ACCEPT
-A INPUT -m hashlimit --hashlimit-upto 5/min --hashlimit-burst 3 --hashlimit-mode srcip,dstport --hashlimit-name x --hashlimit-htable-size 100 --hashlimit-srcmask 24 -j ACCEPT
-A INPUT -m pkttype ! --pkt-type broadcast -j DROP
-A INPUT -m recent --update --seconds 60 --reap --hitcount 3 --rttl --name SSH --mask 255.255.255.0 --rdest -j DROP
-A INPUT -m recent ! --set -j DROP
-A INPUT -m set ! --match-set myset src,dst -j DROP
-A INPUT -m socket --transparent --nowildcard -j ACCEPT
-A INPUT -m statistic --mode random --probability 0.25 -m statistic --mode nth ! --every 3 --packet 1 -j ACCEPT
-A INPUT -m connlimit --connlimit-above 10 --connlimit-mask 24 --connlimit-daddr -j REJECT
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A INPUT -j LOG --log-prefix "x: " --log-level 6 --log-uid --log-tcp-options
-A INPUT -j LOG
-A OUTPUT -o eth0+ -m owner --socket-exists --uid-owner 0-99 ! --gid-owner 5 --suppl-groups -j ACCEPT
-A OUTPUT -m owner ! --uid-owner root -j ACCEPT
-A GOTO -j RETURN
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -m rpfilter --loose --invert -j DROP
-A PREROUTING -p tcp -j TPROXY --on-port 15006 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1
-A PREROUTING -p udp -j TPROXY --on-port 53
-A PREROUTING -j MARK --set-xmark 0x1/0xff
-A PREROUTING -j MARK --and-mark 0xff
-A PREROUTING -j MARK --or-mark 0x4
-A PREROUTING -j MARK --xor-mark 0x8
-A PREROUTING -j MARK --set-mark 0x539
-A PREROUTING -j CONNMARK --save-mark --mask 0xff
-A PREROUTING -j CONNMARK --restore-mark --nfmask 0x1 --ctmask 0x2
-A PREROUTING -j CONNMARK --restore-mark
-A PREROUTING -j CONNMARK --set-xmark 0x10/0x30
-A POSTROUTING -j CHECKSUM --checksum-fill
-A POSTROUTING -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
-A POSTROUTING -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1400
COMMIT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp -j CT --notrack
-A PREROUTING -p udp -j CT --zone 5
-A PREROUTING -p tcp -j CT --helper ftp
-A PREROUTING -j NOTRACK
-A OUTPUT -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.5:80-90 --random --persistent
-A PREROUTING -p tcp -j REDIRECT --to-ports 8080 --random
-A OUTPUT -p tcp -j REDIRECT
-A POSTROUTING -j SNAT --to-source 1.2.3.4 --random-fully
-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000 --random
-A POSTROUTING -j MASQUERADE
COMMIT
`,
  ],
  [
    'ipv6',
    `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s fd00::/8 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 ! --icmpv6-type 1/3 -j ACCEPT
-A INPUT -m iprange --src-range fd00::1-fd00::9 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp6-adm-prohibited
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -j TPROXY --on-port 15006 --on-ip ::1 --tproxy-mark 0x1/0x1
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -j DNAT --to-destination [fd00::1]:80
-A POSTROUTING -j SNAT --to-source fd00::1-fd00::2
COMMIT
`,
  ],
];

describe('every phrase nfdb reads', () => {
  it.each(EVERY_PHRASE)('%s: saved, listed, read back: the same rules', (family, text) => {
    const loaded = parseRules(text, { file: 'phrases.rules', family });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual(
      [],
    );
    const ruleset = loaded.rulesets[0] as Ruleset;
    for (const table of ruleset.tables) {
      const listing = toListing(ruleset, { table: table.name, exact: true });
      const again = parseRules(listing, { file: LISTING, format: 'listing', table: table.name });
      expect(again.diagnostics.map(formatDiagnostic)).toEqual([]);
      const back = again.rulesets[0] as Ruleset;
      expect(back.family).toBe(family);
      const save = (r: Ruleset) =>
        toIptablesSave(r, { counters: true }).replace(/ --hashlimit-name \S+/g, '');
      expect(save(back)).toBe(save({ ...ruleset, tables: [table] }));
      expect(toListing(back, { table: table.name, exact: true })).toBe(listing);
    }
  });
});

/** `iptables -t nat -L -v -n -x` of an Istio sidecar, as people paste it into an issue. */
const ISTIO = `$ iptables -t nat -L -v -n -x
Chain PREROUTING (policy ACCEPT 3435 packets, 206100 bytes)
    pkts      bytes target     prot opt in     out     source               destination
    3435   206100 ISTIO_INBOUND  6    --  *      *       0.0.0.0/0            0.0.0.0/0

Chain INPUT (policy ACCEPT 3435 packets, 206100 bytes)
    pkts      bytes target     prot opt in     out     source               destination

Chain OUTPUT (policy ACCEPT 599 packets, 54757 bytes)
    pkts      bytes target     prot opt in     out     source               destination
      22     1320 ISTIO_OUTPUT  6    --  *      *       0.0.0.0/0            0.0.0.0/0

Chain POSTROUTING (policy ACCEPT 599 packets, 54757 bytes)
    pkts      bytes target     prot opt in     out     source               destination

Chain ISTIO_INBOUND (1 references)
    pkts      bytes target     prot opt in     out     source               destination
       0        0 RETURN     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:15008
       1       60 RETURN     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:15090
    3434   206040 RETURN     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:15021
       0        0 ISTIO_IN_REDIRECT  6    --  *      *       0.0.0.0/0            0.0.0.0/0

Chain ISTIO_IN_REDIRECT (3 references)
    pkts      bytes target     prot opt in     out     source               destination
       0        0 REDIRECT   6    --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 15006

Chain ISTIO_OUTPUT (1 references)
    pkts      bytes target     prot opt in     out     source               destination
       0        0 RETURN     0    --  *      lo      127.0.0.6            0.0.0.0/0
       0        0 ISTIO_IN_REDIRECT  0    --  *      lo      0.0.0.0/0           !127.0.0.1            owner UID match 1337
       0        0 RETURN     0    --  *      lo      0.0.0.0/0            0.0.0.0/0            ! owner UID match 1337
      22     1320 RETURN     0    --  *      *       0.0.0.0/0            0.0.0.0/0            owner UID match 1337
       0        0 ISTIO_IN_REDIRECT  0    --  *      lo      0.0.0.0/0           !127.0.0.1            owner GID match 1337
       0        0 RETURN     0    --  *      *       0.0.0.0/0            127.0.0.1
       0        0 ISTIO_REDIRECT  0    --  *      *       0.0.0.0/0            0.0.0.0/0

Chain ISTIO_REDIRECT (1 references)
    pkts      bytes target     prot opt in     out     source               destination
       0        0 REDIRECT   6    --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 15001
`;

/** The same capture as a blog printed it (iptables -t nat -L -v: no -n, no -x), with its notes. */
const BLOG = `nsenter -t 8533 -n iptables -t nat -L -v


Chain PREROUTING (policy ACCEPT 3435 packets, 206K bytes)
 pkts bytes target     prot opt in     out     source               destination         
 3435  206K ISTIO_INBOUND  tcp  --  any    any     anywhere             anywhere      (1)       

Chain INPUT (policy ACCEPT 3435 packets, 206K bytes)                                  (5)
 pkts bytes target     prot opt in     out     source               destination         

Chain OUTPUT (policy ACCEPT 599 packets, 54757 bytes)
 pkts bytes target     prot opt in     out     source               destination         
   22  1320 ISTIO_OUTPUT  tcp  --  any    any     anywhere             anywhere            

Chain POSTROUTING (policy ACCEPT 599 packets, 54757 bytes)                            (8)
 pkts bytes target     prot opt in     out     source               destination         

Chain ISTIO_INBOUND (1 references)                                                    (2) 
 pkts bytes target     prot opt in     out     source               destination         
    0     0 RETURN     tcp  --  any    any     anywhere             anywhere             tcp dpt:22
    1    60 RETURN     tcp  --  any    any     anywhere             anywhere             tcp dpt:15090
 3434  206K RETURN     tcp  --  any    any     anywhere             anywhere             tcp dpt:15021
    0     0 RETURN     tcp  --  any    any     anywhere             anywhere             tcp dpt:15020
    0     0 ISTIO_IN_REDIRECT  tcp  --  any    any     anywhere             anywhere  (3)        

Chain ISTIO_IN_REDIRECT (3 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 REDIRECT   tcp  --  any    any     anywhere             anywhere             redir ports 15006                                                                     (4)

Chain ISTIO_OUTPUT (1 references)                                                     (6)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 RETURN     all  --  any    lo      127.0.0.6            anywhere            
    0     0 ISTIO_IN_REDIRECT  all  --  any    lo      anywhere            !localhost            owner UID match 1337
    0     0 RETURN     all  --  any    lo      anywhere             anywhere             ! owner UID match 1337
   22  1320 RETURN     all  --  any    any     anywhere             anywhere             owner UID match 1337
    0     0 ISTIO_IN_REDIRECT  all  --  any    lo      anywhere            !localhost            owner GID match 1337
    0     0 RETURN     all  --  any    lo      anywhere             anywhere             ! owner GID match 1337
    0     0 RETURN     all  --  any    any     anywhere             anywhere             owner GID match 1337
    0     0 RETURN     all  --  any    any     anywhere             localhost           
    0     0 ISTIO_REDIRECT  all  --  any    any     anywhere             anywhere            

Chain ISTIO_REDIRECT (1 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 REDIRECT   tcp  --  any    any     anywhere             anywhere             redir ports 15001
`;

describe('a pasted listing', () => {
  it('loads an Istio capture with the rules it shows', () => {
    const result = parseRules(ISTIO, { file: LISTING });
    expect(result.format).toBe('listing');
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const ruleset = result.rulesets[0] as Ruleset;
    expect(ruleset.family).toBe('ipv4');
    expect(ruleset.tables.map((t) => t.name)).toEqual(['nat']);
    expect(toIptablesSave(ruleset, { counters: true })).toBe(
      [
        '*nat',
        ':PREROUTING ACCEPT [3435:206100]',
        ':INPUT ACCEPT [3435:206100]',
        ':OUTPUT ACCEPT [599:54757]',
        ':POSTROUTING ACCEPT [599:54757]',
        ':ISTIO_INBOUND - [0:0]',
        ':ISTIO_IN_REDIRECT - [0:0]',
        ':ISTIO_OUTPUT - [0:0]',
        ':ISTIO_REDIRECT - [0:0]',
        '[3435:206100] -A PREROUTING -p tcp -j ISTIO_INBOUND',
        '[22:1320] -A OUTPUT -p tcp -j ISTIO_OUTPUT',
        '[0:0] -A ISTIO_INBOUND -p tcp -m tcp --dport 15008 -j RETURN',
        '[1:60] -A ISTIO_INBOUND -p tcp -m tcp --dport 15090 -j RETURN',
        '[3434:206040] -A ISTIO_INBOUND -p tcp -m tcp --dport 15021 -j RETURN',
        '[0:0] -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT',
        '[0:0] -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006',
        '[0:0] -A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN',
        '[0:0] -A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT',
        '[0:0] -A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN',
        '[22:1320] -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
        '[0:0] -A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --gid-owner 1337 -j ISTIO_IN_REDIRECT',
        '[0:0] -A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN',
        '[0:0] -A ISTIO_OUTPUT -j ISTIO_REDIRECT',
        '[0:0] -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('loads the blog’s listing without -n, keeping what it shows and warning about the rest', () => {
    const result = parseRules(BLOG, { file: 'blog.txt' });
    expect(result.format).toBe('listing');
    const messages = result.diagnostics.map(formatDiagnostic);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The table comes from the command line above the listing.
    const ruleset = result.rulesets[0] as Ruleset;
    expect(ruleset.tables.map((t) => t.name)).toEqual(['nat']);
    expect(rulesOf(ruleset)).toHaveLength(18);
    const save = toIptablesSave(ruleset);
    expect(save).toContain('-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006\n');
    expect(save).toContain('-A ISTIO_INBOUND -p tcp -m tcp --dport 15021 -j RETURN\n');
    expect(save).toContain('-A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN\n');
    expect(save).toContain('-A ISTIO_OUTPUT -o lo -m owner ! --gid-owner 1337 -j RETURN\n');
    expect(messages).toContain(
      'blog.txt:6:8: warning: counter 206K is rounded by the listing; use -x for exact counts',
    );
    // localhost is the loopback's: read as its address, and said so.
    expect(messages).toContain(
      'blog.txt:33:76: warning: host name "localhost" read as 127.0.0.1 (the loopback\'s address, as /etc/hosts gives it) in the destination column',
    );
    expect(save).toContain(
      '-A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT\n',
    );
    // The blog's callouts are notes, not rules: taken off the line wherever they stand.
    expect(messages).toContain(
      'blog.txt:6:87: warning: "(1)" is no text of iptables -L: taken for a note added to the listing, and ignored',
    );
    expect(messages).toContain(
      'blog.txt:8:87: warning: "(5)" is no text of iptables -L: taken for a note added to the listing, and ignored',
    );
    expect(messages).toContain(
      'blog.txt:28:176: warning: "(4)" is no text of iptables -L: taken for a note added to the listing, and ignored',
    );
    // Nothing was lost: every rule is simulated, none keeps listing text.
    expect(rulesOf(ruleset).filter((r) => r.matches.some((m) => !m.simulated))).toEqual([]);
    const check = summarize('blog.txt', result);
    expect(check.matches).toEqual(['owner', 'tcp']);
    expect(check.limitations).toEqual([]);
    // Text a listing lost is said as the listing's, never as a `-m` module that does not exist.
    expect(gapText({ type: 'match', module: '"destination db.internal"' })).toBe(
      'listing text "destination db.internal" is not simulated',
    );
  });

  it('reads what the columns and phrases say: negations, goto, no target, IPv6', () => {
    const text = [
      'Chain INPUT (policy DROP 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '1        0     0 ACCEPT     17   -f  !eth0  *      ::/0                !fd00::/8             udp spts:1024:65535 dpt:!53',
      '2        0     0            6    --  *      *       ::/0                 ::/0                 ctstate NEW,ESTABLISHED ctdir ORIGINAL /* no target */',
      '3        0     0 LOGDROP    6    --  *      *       ::1                  ::/0                [goto]  tcp flags:0x17/0x02',
      '',
      'Chain LOGDROP (1 references)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '1        0     0 LOG        0    --  *      *       ::/0                 ::/0                 limit: avg 3/min burst 5 LOG flags 0 level 4 prefix "drop: "',
      '2        0     0 DROP       0    --  *      *       ::/0                 ::/0',
    ].join('\n');
    const result = parseRules(text, { file: LISTING });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const ruleset = result.rulesets[0] as Ruleset;
    expect(ruleset.family).toBe('ipv6');
    expect(
      toIptablesSave(ruleset)
        .split('\n')
        .filter((l) => l.startsWith('-A')),
    ).toEqual([
      '-A INPUT ! -d fd00::/8 ! -i eth0 -p udp -f -m udp --sport 1024:65535 ! --dport 53 -j ACCEPT',
      '-A INPUT -p tcp -m conntrack --ctstate NEW,ESTABLISHED --ctdir ORIGINAL -m comment --comment "no target"',
      '-A INPUT -s ::1/128 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -g LOGDROP',
      '-A LOGDROP -m limit --limit 3/min -j LOG --log-prefix "drop: "',
      '-A LOGDROP -j DROP',
    ]);
    expect(ruleset.tables[0]?.chains[0]?.policy).toBe('DROP');
  });

  it('takes the table from --table, else the file name, else the chains', () => {
    const text =
      'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n pkts bytes target     prot opt in     out     source               destination\n';
    const tableOf = (r: ReturnType<typeof parseRules>) => r.rulesets[0]?.tables[0]?.name;
    expect(tableOf(parseRules(text, { file: LISTING, table: 'mangle' }))).toBe('mangle');
    expect(tableOf(parseRules(text, { file: 'x.raw.txt' }))).toBe('raw');
    // Chains that fit filter: the default, said nothing about.
    const filter = parseRules(text, { file: LISTING });
    expect(tableOf(filter)).toBe('filter');
    expect(filter.diagnostics).toEqual([]);
    // PREROUTING is not filter's: the table that has it, said so when it is a guess.
    const prerouting = text.replace('OUTPUT', 'PREROUTING');
    const guessed = parseRules(prerouting, { file: LISTING });
    expect(tableOf(guessed)).toBe('nat');
    expect(guessed.diagnostics.map(formatDiagnostic)).toEqual([
      'pasted.txt:1:1: warning: the table of this listing is not known: taking nat, which has its built-in chains (expected --table NAME, or a file name like x.nat.txt, found "PREROUTING")',
    ]);
  });

  it('says what it expected for a line that is not a rule', () => {
    const text =
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n pkts bytes target     prot opt in     out     source               destination\n  0  0 ACCEPT\n';
    const result = parseRules(text, { file: LISTING });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'pasted.txt:3:3: error: not a rule line of the listing (expected the columns PKTS BYTES TARGET PROT OPT IN OUT SOURCE DESTINATION then the match and target text, found "0  0 ACCEPT")',
    ]);
  });
});

describe('what a listing lost', () => {
  const header = [
    'Chain OUTPUT (policy ACCEPT 12K packets, 3456789 bytes)',
    ' pkts bytes target     prot opt in     out     source               destination',
  ];

  it('warns at the line and column of a service name where a port belongs', () => {
    const text = [
      ...header,
      '    0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:https',
      '    0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:443',
    ].join('\n');
    const result = parseRules(text, { file: LISTING });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'pasted.txt:1:29: warning: counter 12K is rounded by the listing; use -x for exact counts',
      'pasted.txt:3:90: warning: "https" is a service name, not a port number: the listing was made without -n; the rule is kept and "tcp dpt:https" is not simulated',
    ]);
    const [named, numbered] = rulesOf(result.rulesets[0]);
    // Kept, never guessed: the named port is text, not simulated; the number is read.
    expect(named?.matches).toMatchObject([{ module: '"tcp dpt:https"', simulated: false }]);
    expect(numbered?.matches).toMatchObject([{ module: 'tcp', simulated: true }]);
    expect(result.rulesets[0]?.tables[0]?.chains[2]?.counters).toEqual({
      packets: 12000,
      bytes: 3456789,
    });
  });

  it('keeps unknown text as a match that is not simulated', () => {
    const text = [
      ...header.slice(1).map((l) => l),
      '    0     0 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            frobnicate 7 tcp dpt:80',
    ];
    const result = parseRules(
      ['Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)', ...text].join('\n'),
      { file: LISTING },
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'pasted.txt:3:90: warning: "frobnicate 7" is not text iptables -L prints for a match or target nfdb knows: the rule is kept and not simulated',
    ]);
    expect(rulesOf(result.rulesets[0])[0]?.matches).toMatchObject([
      { module: '"frobnicate 7"', simulated: false },
      { module: 'tcp', simulated: true },
    ]);
  });
});

describe('nfdb check on a listing', () => {
  it('detects the format, loads it and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfdb-listing-'));
    const file = join(dir, 'istio-nat.txt');
    writeFileSync(file, ISTIO);
    const result = nfdb(['check', file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${file}: loaded (listing)`);
    expect(result.stdout).toMatch(/ipv4 nat: 8 chains \(4 user-defined\), 15 rules/);
  });
});
