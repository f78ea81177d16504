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
    $ nfdb run --edit ARGS --compare  what if a rule were changed: the two runs compared
    $ nfdb run --rules FILE | -     the same on a ruleset in the default pod
    $ nfdb check FILE... | -        parse and validate rulesets, report what nfdb cannot simulate
    $ nfdb help [SUBCOMMAND]        help for one subcommand: check, run, help

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
    --seed N         seed for '-m statistic --mode random' (0 to 4294967295)
    --proxy-mode M   terminate (what envoy does) or rewrite: every envoy rewrites each packet
                     and sends it on, nfdb's hypothesis with no kernel to compare with

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
    --format NAME    force the input format: iptables-save, iptables-S, commands, istio-golden, listing
    --table NAME     the table of an 'iptables -S' file when its name does not say it
    --backend NAME   nft or legacy: the iptables that loads the rules (default nft)
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
    --edit ARGS      an iptables command applied to the rules first, as '-t nat -D ISTIO_OUTPUT 6'
                     (many allowed; 'HOST: ARGS' for another host than the one with rules)
    --set PATH=VAL   a value of the world, as hosts.pod.processes.envoy.uid=1000
    --compare        with --edit or --set: the original and the what-if run compared (--json too)
    --rules FILE     the ruleset in the built-in pod, as in the UI (- reads standard input)
    and the proxy and traffic flags above

  Everywhere
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
    --json           the findings as JSON
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
    $ nfdb run [SCENARIO.json] [--json | --counters | --list [-x]] [--seed N] [--connection N]
               [--proxy-mode terminate|rewrite]
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
    --format NAME, --table NAME  with --rules, as in nfdb help check
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
    -h, --help      this text
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 1 the scenario is wrong or an edit does not apply, 2 misuse
`,
  help: `
  Usage
    $ nfdb help               the overview: subcommands, flags, exit codes
    $ nfdb help SUBCOMMAND    the help of check, run or help

  Options
    -h, --help      the overview
    --version       nfdb's version and the commit it was built from

  Exit codes
    0 ok, 2 no help for that word
`,
};
