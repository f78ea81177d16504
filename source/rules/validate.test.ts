import { describe, expect, it } from 'vitest';
import type { Table } from '../model/index.js';
import { parseRules } from './index.js';
import { lines, problemText, ruleset } from './test-helpers.js';
import { reachableHooks, validate } from './validate.js';

const problems = (...l: string[]) => validate(ruleset(lines(...l))).map(problemText);

describe('validate: the checks the kernel makes when a table is loaded', () => {
  it('accepts a sound table', () => {
    expect(
      problems(
        '*nat',
        ':ISTIO_OUTPUT - [0:0]',
        ':ISTIO_REDIRECT - [0:0]',
        '-A OUTPUT -p tcp -j ISTIO_OUTPUT',
        '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
        '-A ISTIO_OUTPUT -j ISTIO_REDIRECT',
        '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
        'COMMIT',
      ),
    ).toEqual([]);
  });

  it('refuses a jump to a chain that does not exist, or to a built-in chain', () => {
    // libiptc (iptcc_map_target) maps a jump only to a user-defined chain of the same table.
    expect(
      problems(
        '*filter',
        ':C - [0:0]',
        '-A OUTPUT -j C',
        '-A C -j INPUT',
        '-A C -j NOPE',
        'COMMIT',
      ),
    ).toEqual([
      '4:9 jump to built-in chain INPUT (a user-defined chain; INPUT)',
      '5:9 jump to chain "NOPE", which does not exist in table filter (an existing chain or a known target; NOPE)',
    ]);
  });

  it('refuses a loop of jumps and gotos (mark_source_chains: ELOOP), naming the cycle', () => {
    expect(
      problems(
        '*filter',
        ':A - [0:0]',
        ':B - [0:0]',
        '-A INPUT -j A',
        '-A A -j B',
        '-A B -g A',
        'COMMIT',
      ),
    ).toEqual([
      '6:9 jump loop: A → B → A (the kernel refuses this with ELOOP) (no chain that can reach itself; A → B → A)',
    ]);
  });

  it('warns of a loop no built-in chain reaches: both backends load it (the kernel checks from the hooks)', () => {
    expect(problems('*filter', ':A - [0:0]', '-A A -j A', 'COMMIT')).toEqual([
      '3:9 jump loop: A → A, which no built-in chain reaches: iptables-legacy and iptables-nft load it, and no packet runs it (no chain that can reach itself; A → A)',
    ]);
    expect(
      problems('*filter', ':A - [0:0]', '-A INPUT -j A', '-A A -j A', 'COMMIT').map((p) =>
        p.slice(0, 30),
      ),
    ).toEqual(['4:9 jump loop: A → A (the kern']);
  });

  it('refuses 16 nested user chains as iptables-nft does, and warns of them as iptables-legacy', () => {
    const names = Array.from({ length: 16 }, (_, i) => `C${i}`);
    const nest = (depth: number) => [
      '*filter',
      ...names.slice(0, depth).map((n) => `:${n} - [0:0]`),
      ...names.slice(0, depth).map((n, i) => `-A ${i === 0 ? 'INPUT' : names[i - 1]} -j ${n}`),
      'COMMIT',
    ];
    const nft = (lines: string[]) => parseRules(lines.join('\n'), { file: 'f', backend: 'nft' });
    const legacy = (lines: string[]) =>
      parseRules(lines.join('\n'), { file: 'f', backend: 'legacy' });
    const said = (r: ReturnType<typeof nft>) =>
      r.diagnostics.map((d) => `${d.severity} ${d.message}`);
    expect(said(nft(nest(15)))).toEqual([]);
    expect(said(nft(nest(16)))).toEqual([
      'error 16 or more user chains nested under INPUT: iptables-nft refuses this ("Too many links"; iptables-legacy loads it)',
    ]);
    expect(said(legacy(nest(16)))).toEqual([
      'warning 16 or more user chains nested under INPUT: iptables-nft refuses this ("Too many links"); iptables-legacy, which nfdb loads as, accepts it',
    ]);
  });

  it('refuses -i in a built-in output chain and -o in a built-in input chain, not in user chains', () => {
    // iptables refuses them by the chain's name (do_parse: "Can't use -i with OUTPUT"); in a
    // user chain the rule loads and simply never matches from the wrong hook.
    expect(
      problems(
        '*nat',
        ':A - [0:0]',
        '-A PREROUTING -j A',
        '-A OUTPUT -i eth0 -j ACCEPT',
        '-A PREROUTING -o eth0 -j ACCEPT',
        '-A A -o eth0 -j ACCEPT',
        'COMMIT',
      ),
    ).toEqual([
      // In the table's chain order: PREROUTING before OUTPUT.
      '5:4 -o cannot be used in a chain reached from PREROUTING (FORWARD, OUTPUT or POSTROUTING; -o eth0)',
      '4:4 -i cannot be used in a chain reached from OUTPUT (PREROUTING, INPUT or FORWARD; -i eth0)',
    ]);
  });

  it('refuses a module in a chain reached from a hook it does not allow (xt_check_match)', () => {
    // xt_owner registers for LOCAL_OUT and POST_ROUTING only; xt_REDIRECT for PRE_ROUTING and
    // LOCAL_OUT. B is reached from PREROUTING through A.
    expect(
      problems(
        '*nat',
        ':A - [0:0]',
        ':B - [0:0]',
        '-A PREROUTING -j A',
        '-A A -j B',
        '-A INPUT -p tcp -j REDIRECT --to-ports 1',
        '-A B -m owner --uid-owner 1 -j RETURN',
        'COMMIT',
      ),
    ).toEqual([
      '6:20 -j REDIRECT: REDIRECT is only valid in PREROUTING, OUTPUT; this chain is reached from INPUT (a chain where the kernel allows it; nat INPUT)',
      '7:9 -m owner: -m owner is only valid in OUTPUT, POSTROUTING; this chain is reached from PREROUTING (a chain where the kernel allows it; nat B)',
    ]);
  });
});

describe('reachableHooks', () => {
  it('gives each chain the hooks of the built-in chains that reach it, through user chains', () => {
    const r = ruleset(
      lines(
        '*nat',
        ':A - [0:0]',
        ':B - [0:0]',
        ':LONELY - [0:0]',
        '-A PREROUTING -j A',
        '-A OUTPUT -g A',
        '-A A -j B',
        'COMMIT',
      ),
    );
    const hooks = reachableHooks(r.tables[0] as Table);
    expect(Object.fromEntries([...hooks].map(([name, set]) => [name, [...set]]))).toEqual({
      PREROUTING: ['PREROUTING'],
      INPUT: ['INPUT'],
      OUTPUT: ['OUTPUT'],
      POSTROUTING: ['POSTROUTING'],
      A: ['PREROUTING', 'OUTPUT'],
      B: ['PREROUTING', 'OUTPUT'],
      LONELY: [],
    });
  });
});
