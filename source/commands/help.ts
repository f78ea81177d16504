/**
 * The help texts. Every flag of ./flags.ts appears in MAIN_HELP and in the help of each
 * subcommand it applies to (test/cli.test.ts checks this against the FLAGS table).
 */

export const MAIN_HELP = `
  nfdb, the netfilter debugger: where a packet goes through iptables, and why.

  Usage
    $ nfdb [SCENARIO.json]          open the stepping UI (default: the built-in Istio sidecar scenario)
    $ nfdb --rules FILE | -         open the UI on a ruleset placed in a default sidecar pod
    $ nfdb run [SCENARIO.json]      print the hop-by-hop walkthrough without a UI
    $ nfdb SNAPSHOT.json            restore a snapshot in the UI, at its cursor
    $ nfdb --open NAME              open a saved or curated snapshot by name
    $ nfdb run --edit ARGS --compare  what if a rule were changed: the two runs compared
    $ nfdb run --rules FILE | -     the same on a ruleset in the default pod
    $ nfdb check FILE... | -        parse and validate rulesets, report what nfdb cannot simulate
    $ nfdb snapshots [--json]       list the saved and curated snapshots
    $ nfdb save NAME|PATH [SCENARIO.json]   save a snapshot (see nfdb help save)
    $ nfdb config [set KEY VALUE]   show the preferences, or change one
    $ nfdb report [SCENARIO | --rules FILE]  the findings and the path as markdown for an
                                    issue, with a Mermaid drawing (see nfdb help report)
    $ nfdb live [--netns NAME | --pid PID] [--save FILE]  debug the rules of this network
                                    namespace (a pod): its rules, addresses, routes, listeners
    $ nfdb help [SUBCOMMAND]        help for one subcommand: check, run, live, snapshots, save,
                                    config, report, help

  Options of the UI
    --rules FILE     the ruleset to place in the reviews sidecar pod of the built-in scenario
                     (- reads standard input)
    --format NAME    with --rules: force the input format (see nfdb help check)
    --table NAME     with --rules: the table of an 'iptables -S' file when its name does not say it
    --backend NAME   nft or legacy: the iptables that loads the rules (default: the program a
                     command names, else nft); with iptables-nft a built-in chain exists only
                     once a command names it, and counts its policy only when given one (-P)
    --no-tui         print what 'nfdb run' prints instead of drawing the UI
    --step N         open the UI at step N (the numbers 'nfdb run' prints)
    --open NAME      the saved or curated snapshot of that name (see nfdb snapshots)
    --seed N         seed for '-m statistic --mode random' (0 to 4294967295)
    --proxy-mode M   terminate (what envoy does) or rewrite: every envoy rewrites each packet
                     and sends it on, nfdb's hypothesis with no kernel to compare with
    --unknown-match M  at a rule nfdb does not simulate: stop there (default), or take it as
                     match or no-match (the scenario's settings.unknownMatch)
    --resolve NAME=ADDR  the address of a host name in the rules (repeatable); localhost is
                     127.0.0.1 and ::1 without it

  The proxy and the traffic of the built-in pod (UI and run)
    --proxy NAME     the proxy the rules were written for: istio, istio-ambient (ztunnel),
                     linkerd, kuma, consul (default: inferred from --rules, and said so)
    --proxy-uid N, --proxy-gid N         the proxy's uid and gid
    --inbound-port N, --outbound-port N  where the rules send connections to the proxy
    --proxy-mark N   the proxy's socket mark (SO_MARK, ztunnel's 0x539)
    --inbound-bind ADDR  the source of the proxy's connections to the app (istio: 127.0.0.6)
    --to ADDR:PORT   traffic to send instead of the default (repeatable; [IPv6]:PORT); default:
                     inbound to each port the rules capture, and out from the app to another pod
    --from WHO       who sends it: app, proxy, peer (another pod), outside, node
    --proto tcp|udp  its protocol (default tcp)
    --uid N, --gid N the sending process's uid and gid

  Options of check
    --format NAME    force the input format: iptables-save, iptables-S, commands, istio-golden, listing, nft
    --table NAME     the table of an 'iptables -S' file when its name does not say it
    --backend NAME   nft or legacy: the iptables that loads the rules (default nft)
    --resolve NAME=ADDR  the address of a host name in the rules (repeatable)
    --json           the findings as JSON

  Options of run
    --json           the whole trace as JSON
    --counters       each host's final counters in 'iptables-save -c' format
    --list           each host's 'iptables -L -v -n' listing
    -x, --exact      with --list: exact numbers, as 'iptables -L -v -n -x'
    --connection N   the every-step part for connection N only
    --seed N         seed for '-m statistic --mode random' (0 to 4294967295)
    --backend NAME   nft or legacy: overrides the scenario's settings.backend
    --proxy-mode M   terminate or rewrite: what every envoy does (rewrite: nfdb's hypothesis)
    --unknown-match M  stop, match or no-match: at a rule nfdb does not simulate
    --resolve NAME=ADDR  with --rules: the address of a host name in the rules (repeatable)
    --edit ARGS      an iptables command applied to the rules first, as '-t nat -D ISTIO_OUTPUT 6'
                     or an nft one for nft tables, as 'delete rule inet T C handle 7'
                     (many allowed; 'HOST: ARGS' for another host than the one with rules)
    --set PATH=VAL   a value of the world, as hosts.pod.processes.envoy.uid=1000
    --compare        with --edit or --set: the original and the what-if run compared (--json too)
    --open NAME      the saved or curated snapshot of that name
    --rules FILE     the ruleset in the built-in pod, as in the UI (- reads standard input)
    and the proxy and traffic flags above

  Options of snapshots
    --json           the list as JSON

  Options of save
    --rules FILE     the ruleset for the scenario's first host with rules
    --edit 'ARGS'    a what-if edit, as iptables arguments ('HOST: ARGS' for another host);
                     repeat it for more, applied in order
    --notes TEXT     the notes: the question and what the trace answers
    --step N         the step the snapshot opens at
    --force          replace a snapshot of that name or path

  Options of report
    --format F       the report's format: markdown, html or svg; any other --format is the
                     input format of --rules, as in run
    and the scenario, what-if and traffic flags of run (--rules, --open, --edit, --set, --seed)

  Options of live (read-only: it never changes the kernel's state; needs CAP_NET_ADMIN)
    --netns NAME     capture the network namespace NAME (as ip netns exec) instead of this one
    --pid PID        capture the network namespace of process PID (as nsenter -t PID -n)
    --save FILE      write the capture as a scenario file and exit without a UI
    --trace FILTER --allow-trace  record real packets ('tcp port 9080', 'host 10.0.0.2') and
                     show their paths beside the simulated ones: L in the UI, as they come;
                     without a terminal, when Ctrl-C stops it (writes a table)
    --no-tui, and the proxy and traffic flags above

  Everywhere
    --max-size N     the most nfdb reads of one input, file or standard input (default: what
                     fits in the heap; K, M, G); a path must be a regular file
    -h, --help       this text (nfdb check --help: the help of check)
    --version        nfdb's version and the commit it was built from

  A flag given where it does not apply is refused (exit 2).

  Exit codes
    0 ok, 1 the input is wrong, 2 nfdb was used wrongly
`;

export const SUBCOMMAND_HELP: Readonly<Record<string, string>> = {
  check: `
  Usage
    $ nfdb check FILE... [--format NAME] [--table NAME] [--backend nft|legacy] [--json]
    $ nfdb check -            read standard input

  Parses and validates each file as the kernel would at load time. Prints per file the tables,
  chains and rules, the match modules and targets used, and the rules nfdb cannot simulate.
  Every error is listed with FILE:LINE:COL, what was expected and what was found.

  Options
    --format NAME    force the input format (below)
    --table NAME     the table of an 'iptables -S' file when its name does not say it
    --backend NAME   nft or legacy: the iptables that loads the rules; default: the program a
                     command line names (iptables-legacy), else nft. With nft, a built-in chain
                     exists only once a command names it, and counts its policy only with -P
    --resolve NAME=ADDR  the address of a host name in the rules, as iptables would resolve it
                     (repeatable; localhost is 127.0.0.1 and ::1 without it)
    --json           the findings as JSON
    --max-size N     the most nfdb reads of one file (default: what fits in the heap; K,
                     M, G)
    -h, --help       this text
    --version        nfdb's version and the commit it was built from

  Formats (detected automatically; --format forces one)
    iptables-save     iptables-save / iptables-restore input, with or without -c counters
    iptables-S        'iptables -S' output of one table (table from --table or a name like x.nat.rules)
    commands          one 'iptables ...' / 'ip6tables ...' command per line
    istio-golden      istio-iptables golden files (IPv4 part, then IPv6 part)
    listing           'iptables -L -v -n' output, with or without -x and --line-numbers

  Exit codes
    0 the files loaded (warnings allowed), 1 an error in the input, 2 misuse
`,
  run: `
  Usage
    $ nfdb run [SCENARIO.json | --open NAME] [--json | --counters | --list [-x]] [--seed N]
               [--connection N] [--proxy-mode terminate|rewrite]
    $ nfdb run [SCENARIO.json | --rules FILE] --edit ARGS [--edit ARGS…] [--set PATH=VAL] --compare [--json]
    $ nfdb run --rules FILE|- [--proxy NAME ...] [--to ADDR:PORT ...]

  Simulates the scenario's traffic (default: the built-in Istio bookinfo sidecar scenario) and
  prints a numbered hop-by-hop walkthrough. With --edit or --set it runs the scenario as edited;
  with --compare it prints what changes: each connection's outcome before and after, the first
  step where its path differs, the counters that move differently, the findings that come or go.

  Options
    --json          the whole Trace as JSON
    --counters      each host's final counters in 'iptables-save -c' format, after '# host NAME'
    --list          each host's 'iptables -L -v -n' listing
    -x, --exact     with --list: exact numbers, as 'iptables -L -v -n -x'
    --seed N        seed for '-m statistic --mode random' (0 to 4294967295)
    --connection N  the walkthrough's every-step part for connection N only (long traces)
    --max-size N    the most nfdb reads of the scenario or a rules file (default: what fits
                    in the heap; K, M, G)
    --backend NAME  nft or legacy: the iptables that loads every host's rules (overrides the
                    scenario's settings.backend)
    --proxy-mode M  what every envoy does with what it is sent: terminate (as envoy does: it
                    accepts and opens a new connection) or rewrite (it rewrites each packet
                    back to its original destination and sends it again as its own). rewrite
                    is nfdb's hypothesis: no real proxy does this; nothing checks it against
                    the kernel, and the findings say so
    --edit ARGS     an edit of the rules in iptables command syntax, applied in order:
                    '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN', '-t nat -D
                    ISTIO_OUTPUT 6', '-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN',
                    -R, -A, -P, -N, -X, -F; a leading 'iptables' is allowed; the table is filter
                    unless -t says another. It edits the host with rules; 'HOST: ARGS' another
    --set PATH=VAL  a value of the world, checked against the scenario format:
                    hosts.pod.processes.envoy.uid=1000 (arrays by name or index from 0; VAL is
                    JSON, or text)
    --compare       with --edit or --set: compare the original run with the edited one (with
                    --json: the comparison as data, see snapshots/comparison.schema.json)
    --rules FILE    the ruleset to place in the sidecar pod of the built-in scenario (- reads
                    standard input); the proxy is inferred from it and the walkthrough opens
                    with what was inferred, from which rules
    --format NAME, --table NAME, --resolve NAME=ADDR  with --rules, as in nfdb help check
    --unknown-match M  at a rule nfdb does not simulate: stop the trace there (default), or
                    take it as match or no-match; the trace says what it assumed
    --proxy NAME    the proxy the rules were written for: istio, istio-ambient (ztunnel),
                    linkerd, kuma, consul (default: inferred from --rules, and said so)
    --proxy-uid N, --proxy-gid N         the proxy's uid and gid
    --inbound-port N, --outbound-port N  where the rules send connections to the proxy
    --proxy-mark N  the proxy's socket mark (SO_MARK, ztunnel's 0x539)
    --inbound-bind ADDR  the source of the proxy's connections to the app (istio: 127.0.0.6)
    --to ADDR:PORT  traffic to send instead of the default (repeatable; [IPv6]:PORT); default:
                    inbound to each port the rules capture, and out from the app to another pod
    --from WHO      who sends it: app, proxy, peer (another pod), outside, node
    --proto tcp|udp its protocol (default tcp)
    --uid N, --gid N the sending process's uid and gid
    --open NAME     the saved or curated snapshot of that name (see nfdb snapshots)
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 1 the scenario is wrong or an edit does not apply, 2 misuse
`,
  snapshots: `
  Usage
    $ nfdb snapshots [--json]

  Lists the saved snapshots (in nfdb's data directory, most recent first) and the curated ones
  that ship with nfdb (snapshots/): name, date, saved or curated, the scenario's title and the
  first line of the notes. A file that cannot be read is listed as UNREADABLE, with why.
  Open one with nfdb --open NAME, or nfdb run --open NAME.

  Options
    --json          the list as JSON
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 2 misuse
`,
  save: `
  Usage
    $ nfdb save NAME|PATH [SCENARIO] [--rules FILE] [--edit 'ARGS' ...] [--notes TEXT]
                [--step N] [--force]

  Writes a snapshot: the scenario (a scenario or snapshot file or name, else the built-in one) with
  its rules as text, the what-if edits, the notes and the cursor, so that 'nfdb SNAPSHOT.json'
  brings the investigation back step for step. A NAME goes into nfdb's data directory
  ($XDG_DATA_HOME/nfdb/snapshots, see nfdb config); anything with a '/' or ending in .json is a
  path. The write is atomic: a failed or killed save leaves the previous file as it was.

  Options
    --rules FILE    the ruleset for the scenario's first host with rules
    --edit 'ARGS'   a what-if edit as iptables arguments, for the host with rules, or
                    'HOST: ARGS'; repeat it for more, applied in order. Arguments that start
                    with '-' need an '=': --edit='-t nat -D ISTIO_OUTPUT 6'
    --notes TEXT    the notes: the question and what the trace answers
    --step N        the step the snapshot opens at (default: the source's, else 0)
    --force         replace an existing snapshot of that name or path
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 saved, 1 the scenario is wrong or the snapshot exists (without --force), 2 misuse
`,
  report: `
  Usage
    $ nfdb report [SCENARIO.json | SNAPSHOT | --open NAME | --rules FILE|-]
                  [--format markdown|html|svg] [--edit ARGS ...] [--set PATH=VAL ...]
                  [--seed N] [--proxy NAME ...]

  Prints what 'nfdb run' finds as markdown to paste into a GitHub or GitLab issue: the findings
  (each connection's outcome, loop or no loop, what was not simulated), the path in brief with
  the rules' text, a Mermaid flowchart (both sites draw it) of the hosts, hooks and chains each
  connection's first packet and first reply cross, with the decisive rules and NAT changes on
  the arrows, the rules involved as a collapsed iptables-save block, the nfdb version and the
  'nfdb run' command that shows every step. Step numbers are those of 'nfdb run' and the UI.
  No colour, no terminal escapes. --format svg prints the same path drawn by Graphviz (built
  in, no browser, no network) for slides and wikis; --format html one page with the text and
  that drawing. With --edit or --set, the report compares the original run and the what-if:
  both paths side by side, the first difference a thick arrow marked FIRST DIFFERENCE.

  Options
    --format NAME   markdown (the default), html or svg; any other name is the input format
                    of --rules (see nfdb help check)
    --rules FILE    the ruleset in the built-in pod (- reads standard input)
    --open NAME     the saved or curated snapshot of that name
    --edit ARGS     a what-if edit in iptables command syntax, as in nfdb help run (many allowed)
    --set PATH=VAL  a value of the world, as in nfdb help run
    --seed N        seed for '-m statistic --mode random' (0 to 4294967295)
    --backend NAME  nft or legacy: the iptables that loads every host's rules
    --proxy-mode M  terminate or rewrite, as in nfdb help run
    --unknown-match M  stop, match or no-match: at a rule nfdb does not simulate
    --table NAME, --resolve NAME=ADDR  with --rules, as in nfdb help check
    --max-size N    the most nfdb reads of the scenario or a rules file (default: what fits
                    in the heap; K, M, G)
    --proxy NAME    the proxy the rules were written for (default: inferred from --rules)
    --proxy-uid N, --proxy-gid N         the proxy's uid and gid
    --inbound-port N, --outbound-port N  where the rules send connections to the proxy
    --proxy-mark N  the proxy's socket mark
    --inbound-bind ADDR  the source of the proxy's connections to the app
    --to ADDR:PORT  traffic to send instead of the default (repeatable)
    --from WHO      who sends it: app, proxy, peer, outside, node
    --proto tcp|udp its protocol (default tcp)
    --uid N, --gid N the sending process's uid and gid
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 1 the scenario or rules are wrong, 2 misuse
`,
  config: `
  Usage
    $ nfdb config                   where the preferences and snapshots live, and every value
    $ nfdb config set KEY VALUE     change one preference

  Keys
    theme               default (colours) or plain (attributes only); NO_COLOR wins over it
    colors.TOKEN        a colour for one theme token (focused, matched, changedCounter, ...)
    keys.COMMAND        the keys of a UI command ('keys.step.next "right,l"'; see the help
                        overlay, ?), in every mode the command works in
    defaultPreset       the proxy preset used when none is given
    defaultScenario     the scenario file or snapshot name opened when none is given

  A bad preference in the file falls back to its default with a warning naming it.
  NFDB_CONFIG_DIR (else XDG_CONFIG_HOME) moves the preferences, NFDB_DATA_DIR (else
  XDG_DATA_HOME) the saved snapshots.

  Options
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 1 a value nfdb cannot use, 2 misuse (no such key)
`,
  live: `
  Usage
    $ nfdb live [--netns NAME | --pid PID] [--save FILE] [--to ADDR:PORT --from WHO --uid N ...]

  Captures a network namespace, read-only (it never changes the kernel's state), and steps
  synthetic traffic through its real rules, addresses, routes and processes: the rules with
  counters of both iptables backends (and a warning when both hold rules), IPv4 and IPv6,
  native nftables tables (simulated beside iptables), addresses, routes and ip rules,
  listening sockets with their process, uid, gid and socket mark (ss, or /proc/net without
  it), conntrack when readable. The proxy is recognised by the ports, uid and mark its rules
  name; a peer pod is added on the pod's link for traffic from outside. Default traffic:
  inbound to each listening port, out from the app and from the proxy, loopback, and DNS
  when the rules capture it. Needs CAP_NET_ADMIN (and CAP_SYS_ADMIN for --netns and --pid).

  Options
    --netns NAME    capture the network namespace NAME (ip netns exec NAME) instead of this one
    --pid PID       capture the network namespace of process PID (nsenter -t PID -n)
    --save FILE     write the capture as a scenario file (nfdb run FILE reads it) and exit
                    without a UI: to copy it out of a pod and debug it elsewhere
    --trace FILTER  record real packets of the filter ('tcp port 9080', 'udp port 53', 'host
                    10.0.0.2', joined with and) and show each connection's real path (nft
                    monitor trace) beside the simulated one, the lines that differ marked: in
                    the UI under L as they come, printed when it ends; without a terminal (or
                    with --no-tui) until Ctrl-C or SIGTERM. It is the one thing that writes to the kernel: a
                    table of its own (inet nfdb_trace_PID) sets nftrace; it is removed on exit,
                    Ctrl-C, SIGTERM and crash, and a table left by a killed run is removed at the
                    next --trace (and you are told). Needs --allow-trace; iptables-legacy rules
                    are not traced (nft sees only nftables)
    --allow-trace   allow --trace to add its table
    --no-tui        print the walkthrough instead of drawing the UI
    --proxy NAME    the proxy the rules were written for: istio, istio-ambient (ztunnel),
                    linkerd, kuma, consul (default: inferred from the rules, and said so)
    --proxy-uid N, --proxy-gid N         the proxy's uid and gid
    --inbound-port N, --outbound-port N  where the rules send connections to the proxy
    --proxy-mark N  the proxy's socket mark (SO_MARK, ztunnel's 0x539)
    --inbound-bind ADDR  the source of the proxy's connections to the app (istio: 127.0.0.6)
    --to ADDR:PORT  traffic to send instead of the default (repeatable; [IPv6]:PORT)
    --from WHO      who sends it: app, proxy, peer (another pod), outside, node
    --proto tcp|udp its protocol (default tcp)
    --uid N, --gid N the sending process's uid and gid (the app's, the proxy's, any)
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 1 nothing to capture (no privileges, no iptables, no rules, no such namespace), 2 misuse
`,
  help: `
  Usage
    $ nfdb help               the overview: subcommands, flags, exit codes
    $ nfdb help SUBCOMMAND    the help of check, run, snapshots, save, config or help
    $ nfdb help SUBCOMMAND    the help of check, run, live, snapshots, save, config, report or help

  Options
    -h, --help      the overview
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 2 no help for that word
`,
};
