import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../model/index.js';
import { ruleset } from '../test-helpers.js';
import { type AppliedEdit, applyEdit } from './apply.js';
import { chainText, edit, rulesOf, sidecar } from './test-helpers.js';

function applied(r: Ruleset, text: string): Ruleset {
  const done = applyEdit(r, edit(text));
  if (!done.ok) throw new Error(done.message);
  return done.ruleset;
}

function refusal(r: Ruleset, text: string): string {
  const done: AppliedEdit = applyEdit(r, edit(text));
  return done.ok ? 'applied' : done.message;
}

const ids = (r: Ruleset, chain: string) => rulesOf(r, chain).map((rule) => rule.id);

describe('applyEdit on rules', () => {
  it('deletes the first rule with the spec, and every other rule keeps its id', () => {
    const before = ids(sidecar, 'ISTIO_OUTPUT');
    const after = applied(sidecar, '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN');
    expect(ids(after, 'ISTIO_OUTPUT')).toEqual(before.filter((_, i) => i !== 3));
    expect(ids(after, 'ISTIO_REDIRECT')).toEqual(ids(sidecar, 'ISTIO_REDIRECT'));
  });

  it('deletes by number', () => {
    const after = applied(sidecar, '-t nat -D ISTIO_OUTPUT 6');
    expect(chainText(after, 'ISTIO_OUTPUT')[5]).toMatch(/--gid-owner 1337 -j RETURN$/);
    expect(ids(after, 'ISTIO_OUTPUT')).toEqual(
      ids(sidecar, 'ISTIO_OUTPUT').filter((_, i) => i !== 5),
    );
  });

  it('inserts and appends with fresh ids that no rule has', () => {
    const one = applied(sidecar, '-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN');
    expect(chainText(one, 'ISTIO_INBOUND')[0]).toBe('e1 -p tcp -m tcp --dport 9080 -j RETURN');
    const two = applied(one, '-t nat -A ISTIO_INBOUND -j RETURN');
    expect(ids(two, 'ISTIO_INBOUND')).toEqual(['e1', ...ids(sidecar, 'ISTIO_INBOUND'), 'e2']);
  });

  it('replaces a rule in place, keeping its id and zeroing its counters', () => {
    const withCounts = ruleset(
      '*filter\n:INPUT ACCEPT [0:0]\n[5:300] -A INPUT -j ACCEPT\nCOMMIT\n',
    );
    const after = applied(withCounts, '-R INPUT 1 -p tcp -j DROP');
    const [rule] = rulesOf(after, 'INPUT', 'filter');
    expect(rule).toMatchObject({ id: 'r1', counters: { packets: 0, bytes: 0 } });
  });

  it('refuses what iptables refuses, naming the edit', () => {
    expect(refusal(sidecar, '-t nat -D ISTIO_OUTPUT 10')).toBe(
      'iptables -t nat -D ISTIO_OUTPUT 10: Index of deletion too big',
    );
    expect(refusal(sidecar, '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN')).toBe(
      'iptables -t nat -D ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN: Bad rule (does a matching rule exist in that chain?)',
    );
    expect(refusal(sidecar, '-t nat -I ISTIO_REDIRECT 3 -j RETURN')).toMatch(
      /Index of insertion too big$/,
    );
    expect(refusal(sidecar, '-t nat -R ISTIO_REDIRECT 2 -j RETURN')).toMatch(
      /Index of replacement too big$/,
    );
    expect(refusal(sidecar, '-t nat -A NOPE -j RETURN')).toBe(
      'iptables -t nat -A NOPE -j RETURN: No chain/target/match by that name.',
    );
  });

  it('refuses a rule the kernel would not load there, with the rule’s column in the edit', () => {
    const done = applyEdit(sidecar, edit('-t nat -A PREROUTING -m owner --uid-owner 1 -j RETURN'));
    expect(done.ok).toBe(false);
    if (done.ok) return;
    expect(done.message).toMatch(/^iptables -t nat -A PREROUTING .*: error: -m owner/);
    expect(done.diagnostics?.[0]?.pos).toMatchObject({ file: 'edit', line: 1, column: 25 });
  });

  it('refuses a jump that makes a loop', () => {
    expect(refusal(sidecar, '-t nat -A ISTIO_REDIRECT -j ISTIO_OUTPUT')).toMatch(/loop/i);
  });
});

describe('applyEdit on chains', () => {
  it('sets a policy, and says when it changed nothing', () => {
    const filter = ruleset('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\nCOMMIT\n');
    const after = applied(filter, '-P FORWARD DROP');
    expect(after.tables[0]?.chains.find((c) => c.name === 'FORWARD')?.policy).toBe('DROP');
    expect(applyEdit(after, edit('-P FORWARD DROP'))).toMatchObject({ ok: true, changed: false });
    expect(refusal(filter, '-N X')).toBe('applied');
    expect(refusal(applied(filter, '-N X'), '-P X DROP')).toMatch(/Bad built-in chain name$/);
  });

  it('makes and deletes chains as iptables does', () => {
    expect(refusal(sidecar, '-t nat -N ISTIO_OUTPUT')).toMatch(/: Chain already exists$/);
    expect(refusal(sidecar, '-t nat -X ISTIO_REDIRECT')).toMatch(/: Too many links/);
    const unhooked = applied(sidecar, '-t nat -D ISTIO_OUTPUT 9');
    expect(refusal(unhooked, '-t nat -X ISTIO_REDIRECT')).toMatch(/: Directory not empty/);
    const emptied = applied(unhooked, '-t nat -F ISTIO_REDIRECT');
    const gone = applied(emptied, '-t nat -X ISTIO_REDIRECT');
    expect(gone.tables[0]?.chains.map((c) => c.name)).not.toContain('ISTIO_REDIRECT');
    expect(refusal(sidecar, '-t nat -X OUTPUT')).toMatch(/Can't delete built-in chain$/);
    expect(refusal(sidecar, '-t nat -X NOPE')).toMatch(/No chain\/target\/match by that name\.$/);
    const made = applied(sidecar, '-t nat -N AAA');
    expect(made.tables[0]?.chains.map((c) => c.name).slice(4, 6)).toEqual(['AAA', 'ISTIO_INBOUND']);
  });

  it('flushes a chain or a table', () => {
    expect(rulesOf(applied(sidecar, '-t nat -F ISTIO_OUTPUT'), 'ISTIO_OUTPUT')).toEqual([]);
    const all = applied(sidecar, '-t nat -F');
    expect(all.tables[0]?.chains.every((c) => c.rules.length === 0)).toBe(true);
  });

  it('makes a table the ruleset has not, and refuses an edit of the other family', () => {
    const after = applied(sidecar, '-t mangle -A OUTPUT -j MARK --set-mark 1');
    expect(after.tables.map((t) => t.name)).toEqual(['mangle', 'nat']);
    const v6 = applyEdit(sidecar, { ...edit('-t nat -F'), family: 'ipv6' });
    expect(v6).toMatchObject({
      ok: false,
      message: 'ip6tables -t nat -F: the ruleset is ipv4, the edit ipv6',
    });
  });
});
