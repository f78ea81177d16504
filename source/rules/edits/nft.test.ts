import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NftRuleset } from '../../model/index.js';
import { parseRules } from '../index.js';
import { editAsCommand } from './command.js';
import { apply, type EditHistory, newHistory, redo, undo } from './history.js';
import { parseEdit } from './parse.js';

const sidecar = parseRules(readFileSync('test/inputs/nft-istio-sidecar.nft', 'utf8'), {
  file: 'sidecar.nft',
}).nft as NftRuleset;

const start = () => newHistory(new Map([['pod', []]]), new Map([['pod', sidecar]]));

function edit(history: EditHistory, text: string): EditHistory {
  const parsed = parseEdit(text, 'ipv4');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const done = apply(history, { host: 'pod', edit: parsed.edit });
  if (!done.ok) throw new Error(done.message);
  return done.history;
}

function refusal(text: string): string {
  const parsed = parseEdit(text, 'ipv4');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const done = apply(start(), { host: 'pod', edit: parsed.edit });
  return done.ok ? 'applied' : done.message;
}

const chain = (h: EditHistory, name: string) =>
  h.currentNft.get('pod')?.tables[0]?.chains.find((c) => c.name === name);
const texts = (h: EditHistory, name: string) => chain(h, name)?.rules.map((r) => r.text);

describe('what-if edits in nft syntax', () => {
  it('adds, inserts, replaces and deletes rules by index, position and handle', () => {
    const before = chain(start(), 'istio-inbound');
    const first = before?.rules[0]?.handle;
    let h = edit(start(), 'add rule inet istio-proxy-nat istio-inbound tcp dport 9080 return');
    h = edit(h, 'nft insert rule inet istio-proxy-nat istio-inbound index 0 tcp dport 22 return');
    h = edit(
      h,
      `add rule inet istio-proxy-nat istio-inbound position ${first} tcp dport 23 return`,
    );
    expect(texts(h, 'istio-inbound')).toEqual([
      'tcp dport 22 return',
      before?.rules[0]?.text,
      'tcp dport 23 return',
      ...(before?.rules.slice(1).map((r) => r.text) ?? []),
      'tcp dport 9080 return',
    ]);
    h = edit(
      h,
      `replace rule inet istio-proxy-nat istio-inbound handle ${first} tcp dport 24 drop`,
    );
    h = edit(h, `delete rule inet istio-proxy-nat istio-inbound handle ${first}`);
    expect(texts(h, 'istio-inbound')).not.toContain('tcp dport 24 drop');
    expect(chain(h, 'istio-inbound')?.rules).toHaveLength((before?.rules.length ?? 0) + 2);
  });

  it('sets a base chain policy, and undoes every edit back to the rules as given', () => {
    let h = edit(start(), 'add chain inet istio-proxy-nat output { policy drop ; }');
    expect(chain(h, 'output')?.base?.policy).toBe('drop');
    h = edit(h, 'add rule inet istio-proxy-nat output tcp dport 22 accept');
    expect(undo(undo(h)).currentNft.get('pod')).toEqual(sidecar);
    expect(redo(undo(h)).currentNft).toEqual(h.currentNft);
  });

  it('gives the new rule an id of its own, kept by later edits elsewhere', () => {
    const parsed = parseEdit('add rule inet istio-proxy-nat output tcp dport 22 accept', 'ipv4');
    if (!parsed.ok) throw new Error('not read');
    const done = apply(start(), { host: 'pod', edit: parsed.edit });
    if (!done.ok) throw new Error(done.message);
    expect(done.ruleId).toBe('e1');
    expect(chain(done.history, 'output')?.rules.at(-1)?.id).toBe('e1');
  });

  it('refuses what nft refuses, with nft reason and which part is missing', () => {
    expect(refusal('delete rule inet istio-proxy-nat output handle 999')).toBe(
      'nft delete rule inet istio-proxy-nat output handle 999: Could not process rule: No such file or directory (no rule with handle 999 in chain output; expected a handle of the chain, found 999)',
    );
    expect(refusal('add rule inet nope output accept')).toMatch(
      /^nft add rule inet nope output accept: No such file or directory \(no table inet nope/,
    );
    expect(refusal('add rule inet istio-proxy-nat output jump nochain')).toMatch(
      /: Could not process rule: No such file or directory \(jump to a chain/,
    );
    expect(refusal('add rule inet istio-proxy-nat output ip daddr 300.1.1.1 accept')).toMatch(
      /: syntax error \(ip daddr: not a value of type ipv4_addr/,
    );
  });

  it('is exported as the nft command a real host runs', () => {
    const parsed = parseEdit('nft  add rule inet istio-proxy-nat output accept', 'ipv4');
    expect(parsed.ok && editAsCommand(parsed.edit)).toBe(
      'nft add rule inet istio-proxy-nat output accept',
    );
  });
});
