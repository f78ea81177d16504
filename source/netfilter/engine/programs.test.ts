/**
 * The per-hook program list against the kernel's priorities (include/uapi/linux/netfilter_ipv4.h,
 * enum nf_ip_hook_priorities): NF_IP_PRI_RAW -300, NF_IP_PRI_CONNTRACK -200, NF_IP_PRI_MANGLE
 * -150, NF_IP_PRI_NAT_DST -100, NF_IP_PRI_FILTER 0, NF_IP_PRI_SECURITY 50, NF_IP_PRI_NAT_SRC 100,
 * NF_IP_PRI_CONNTRACK_CONFIRM INT_MAX. nf_register_net_hook() keeps each hook's entries sorted
 * by priority, and nf_hook_slow() runs them in that order.
 */
import { describe, expect, it } from 'vitest';
import type { Hook } from '../../model/index.js';
import { natText, rulesetOf, saveText } from '../test-helpers.js';
import { compileRuleset } from './compile.js';
import { type HookProgram, hookPrograms, stagesOf } from './programs.js';

/** Every table with every built-in chain iptables gives it. */
const ALL_TABLES = [
  saveText('raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'),
  saveText(
    'mangle',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
  ),
  natText(),
  saveText('filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'),
  saveText('security', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'),
].join('');

/** `kind priority` or `table priority` for each program, in list order. */
function listed(programs: readonly HookProgram[]): string[] {
  return programs.map((p) => {
    if (p.kind === 'table') return `${p.table.ref.name} ${p.priority}`;
    if (p.kind === 'nat') return `nat(${p.manip}${p.table ? '' : ', no table'}) ${p.priority}`;
    return `${p.kind} ${p.priority}`;
  });
}

const CONFIRM = 2 ** 31 - 1;

describe('the program list of each hook', () => {
  const programs = hookPrograms(compileRuleset(rulesetOf(ALL_TABLES)));

  it('runs PREROUTING as raw, conntrack, mangle, nat (DNAT)', () => {
    expect(listed(programs.PREROUTING)).toEqual([
      'raw -300',
      'conntrack -200',
      'mangle -150',
      'nat(dnat) -100',
    ]);
  });

  it('runs OUTPUT as raw, conntrack, mangle, nat (DNAT), filter, security', () => {
    expect(listed(programs.OUTPUT)).toEqual([
      'raw -300',
      'conntrack -200',
      'mangle -150',
      'nat(dnat) -100',
      'filter 0',
      'security 50',
    ]);
  });

  it('runs INPUT as mangle, filter, security, nat (SNAT), then the confirmation', () => {
    // nf_nat_ipv4_ops: nf_nat_ipv4_fn at NF_INET_LOCAL_IN with NF_IP_PRI_NAT_SRC, after filter.
    expect(listed(programs.INPUT)).toEqual([
      'mangle -150',
      'filter 0',
      'security 50',
      'nat(snat) 100',
      `confirm ${CONFIRM}`,
    ]);
  });

  it('runs FORWARD as mangle, filter, security: no conntrack, no nat', () => {
    expect(listed(programs.FORWARD)).toEqual(['mangle -150', 'filter 0', 'security 50']);
  });

  it('runs POSTROUTING as mangle, nat (SNAT), then the confirmation', () => {
    expect(listed(programs.POSTROUTING)).toEqual([
      'mangle -150',
      'nat(snat) 100',
      `confirm ${CONFIRM}`,
    ]);
  });

  it('gives the nat program the nat table itself', () => {
    const nat = programs.OUTPUT.find((p) => p.kind === 'nat');
    expect(nat?.kind === 'nat' && nat.table?.ref).toEqual({ family: 'ipv4', name: 'nat' });
  });

  it('lists what the hook step shows: conntrack and the tables with a chain here, no confirm', () => {
    const table = (name: string) => ({ kind: 'table', table: { family: 'ipv4', name } });
    expect(stagesOf('PREROUTING', programs.PREROUTING)).toEqual([
      table('raw'),
      { kind: 'conntrack' },
      table('mangle'),
      table('nat'),
    ]);
    expect(stagesOf('POSTROUTING', programs.POSTROUTING)).toEqual([table('mangle'), table('nat')]);
  });
});

describe('a table without a chain for a hook', () => {
  it('is not on that hook, and a nat table without one is not a stage there', () => {
    // A table made by hand (nftables-like) may lack built-in chains iptables would add.
    const ruleset = rulesetOf(
      saveText('raw', ':OUTPUT ACCEPT [0:0]') + saveText('nat', ':OUTPUT ACCEPT [0:0]'),
    );
    const bare = {
      ...ruleset,
      tables: ruleset.tables.map((t) => ({
        ...t,
        chains: t.chains.filter((c) => c.name === 'OUTPUT'),
      })),
    };
    const programs = hookPrograms(compileRuleset(bare));
    expect(listed(programs.PREROUTING)).toEqual(['conntrack -200', 'nat(dnat) -100']);
    expect(stagesOf('PREROUTING', programs.PREROUTING)).toEqual([{ kind: 'conntrack' }]);
    expect(listed(programs.OUTPUT)).toEqual(['raw -300', 'conntrack -200', 'nat(dnat) -100']);
    expect(stagesOf('OUTPUT', programs.OUTPUT)).toEqual([
      { kind: 'table', table: { family: 'ipv4', name: 'raw' } },
      { kind: 'conntrack' },
      { kind: 'table', table: { family: 'ipv4', name: 'nat' } },
    ]);
  });
});

describe('a host without a ruleset', () => {
  const programs = hookPrograms(undefined);

  it('still tracks connections, applies their NAT and confirms them', () => {
    const expected: Record<Hook, string[]> = {
      PREROUTING: ['conntrack -200', 'nat(dnat, no table) -100'],
      INPUT: ['nat(snat, no table) 100', `confirm ${CONFIRM}`],
      FORWARD: [],
      OUTPUT: ['conntrack -200', 'nat(dnat, no table) -100'],
      POSTROUTING: ['nat(snat, no table) 100', `confirm ${CONFIRM}`],
    };
    for (const hook of Object.keys(expected) as Hook[])
      expect(listed(programs[hook]), hook).toEqual(expected[hook]);
  });

  it('shows conntrack alone at PREROUTING and nothing at INPUT', () => {
    expect(stagesOf('PREROUTING', programs.PREROUTING)).toEqual([{ kind: 'conntrack' }]);
    expect(stagesOf('INPUT', programs.INPUT)).toEqual([]);
  });
});
