import { describe, expect, it } from 'vitest';
import { problemText } from '../test-helpers.js';
import { parseEdit, parseRuleLine } from './parse.js';

function problems(text: string): string[] {
  const parsed = parseEdit(text, 'ipv4');
  return parsed.ok ? [] : parsed.diagnostics.map(problemText);
}

describe('parseEdit', () => {
  it('refuses an address list: an edit is one rule, where iptables would make several', () => {
    expect(problems('-A INPUT -s 1.1.1.1,2.2.2.2 -j DROP').join('\n')).toContain(
      'several addresses in one edit',
    );
  });

  it('reads a delete by rule spec, in the table -t names', () => {
    const parsed = parseEdit('-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN', 'ipv4');
    expect(parsed.ok && parsed.edit).toMatchObject({
      op: 'delete-matching',
      table: 'nat',
      chain: 'ISTIO_OUTPUT',
      rule: { matches: [{ module: 'owner' }], target: { kind: 'verdict', name: 'RETURN' } },
    });
  });

  it('reads a delete by number, an insert at a number, a replace, and an append', () => {
    expect(parseEdit('-t nat -D ISTIO_OUTPUT 6', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'delete', index: 6 },
    });
    expect(
      parseEdit('-t nat -I ISTIO_INBOUND 1 -p tcp --dport 9080 -j RETURN', 'ipv4'),
    ).toMatchObject({ ok: true, edit: { op: 'insert', index: 1, chain: 'ISTIO_INBOUND' } });
    expect(parseEdit('-I INPUT -j DROP', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'insert', index: 1, table: 'filter' },
    });
    expect(parseEdit('-R INPUT 2 -j ACCEPT', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'replace', index: 2 },
    });
    expect(parseEdit('--append INPUT -j ACCEPT', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'append', chain: 'INPUT' },
    });
  });

  it('reads the chain commands, with the table filter unless -t says another', () => {
    expect(parseEdit('-P FORWARD DROP', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'policy', table: 'filter', chain: 'FORWARD', policy: 'DROP' },
    });
    expect(parseEdit('-t nat -N MINE', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'new-chain', chain: 'MINE' },
    });
    expect(parseEdit('-X', 'ipv4')).toMatchObject({ ok: true, edit: { op: 'delete-chain' } });
    expect(parseEdit('-t mangle -F', 'ipv4')).toMatchObject({
      ok: true,
      edit: { op: 'flush', table: 'mangle', chain: undefined },
    });
  });

  it('allows a leading iptables or ip6tables word, which says the family', () => {
    expect(parseEdit('iptables -t nat -F ISTIO_OUTPUT', 'ipv6')).toMatchObject({
      ok: true,
      edit: { family: 'ipv4', chain: 'ISTIO_OUTPUT' },
    });
    expect(parseEdit('sudo ip6tables -A INPUT -j DROP', 'ipv4')).toMatchObject({
      ok: true,
      edit: { family: 'ipv6' },
    });
  });

  it('reports a bad option at its column within the edit, at line 1', () => {
    expect(problems('-t nat -A ISTIO_OUTPUT -p tcp --dprot 80 -j RETURN')).toEqual([
      expect.stringMatching(/^1:31 /),
    ]);
  });

  it('reports what is missing or unknown with expected and found', () => {
    expect(problems('-t nat -R ISTIO_OUTPUT -j RETURN')).toEqual([
      '1:24 -R needs a rule number (a rule number, 1 or more; -j)',
    ]);
    expect(problems('-t nat -D')).toEqual([
      '1:8 -D needs a chain name (a chain name; end of line)',
    ]);
    expect(problems('-L INPUT')).toEqual([
      '1:1 unknown edit "-L" (-A, -I, -R, -D, -P, -N, -X or -F; -L)',
    ]);
    expect(problems('-P INPUT REJECT')).toEqual([
      '1:10 bad policy "REJECT" (ACCEPT or DROP; REJECT)',
    ]);
    expect(problems('-t nit -F')).toEqual([
      '1:4 unknown table "nit" (raw, mangle, nat, filter or security; nit)',
    ]);
    expect(problems('-D INPUT 3 -j DROP')).toEqual([
      '1:12 unexpected "-j" (end of the command; -j)',
    ]);
    expect(problems('-I INPUT 0 -j DROP')).toEqual([
      '1:10 -I needs a rule number (a rule number, 1 or more; 0)',
    ]);
    expect(problems('iptables')).toEqual([
      '1:9 the edit is empty (-A, -I, -R, -D, -P, -N, -X or -F; end of line)',
    ]);
    expect(problems('-A INPUT -m comment --comment "open')).toEqual([
      '1:31 unterminated quoted string (a closing quote; end of line)',
    ]);
  });
});

describe('parseRuleLine', () => {
  const at = { table: 'nat', chain: 'ISTIO_OUTPUT', index: 4 } as const;

  it('makes the editor line a replace or an insert of that rule of that chain', () => {
    const line = '-A ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN';
    expect(parseRuleLine(line, 'ipv4', { ...at, mode: 'replace' })).toMatchObject({
      ok: true,
      edit: { op: 'replace', table: 'nat', chain: 'ISTIO_OUTPUT', index: 4 },
    });
    expect(parseRuleLine(line, 'ipv4', { ...at, mode: 'insert' })).toMatchObject({
      ok: true,
      edit: { op: 'insert', index: 4 },
    });
  });

  it('refuses a line of another chain or another command, at its column', () => {
    const other = parseRuleLine('-A ISTIO_INBOUND -j RETURN', 'ipv4', { ...at, mode: 'replace' });
    expect(other.ok ? [] : other.diagnostics.map(problemText)).toEqual([
      '1:4 the rule is in chain ISTIO_OUTPUT (ISTIO_OUTPUT; ISTIO_INBOUND)',
    ]);
    const command = parseRuleLine('-D ISTIO_OUTPUT 3', 'ipv4', { ...at, mode: 'replace' });
    expect(command.ok).toBe(false);
    const bad = parseRuleLine('-A ISTIO_OUTPUT -m owner --uid-owner', 'ipv4', {
      ...at,
      mode: 'replace',
    });
    expect(bad.ok ? [] : bad.diagnostics.map((d) => d.pos.column)).toEqual([expect.any(Number)]);
  });
});
