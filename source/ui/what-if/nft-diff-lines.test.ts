/** The edits view on an nft host: the rules edited, named as `nft -a list` names them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../rules/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { editsLines } from './edits-lines.js';
import { applyChange, newSession } from './session.js';

const file = 'test/inputs/nft-istio-sidecar.nft';
const nft = parseRules(readFileSync(file, 'utf8'), { file }).nft;
const base = bookinfoScenario();
const scenario = {
  ...base,
  world: {
    ...base.world,
    hosts: base.world.hosts.map((h) =>
      h.name === 'reviews' && nft ? { ...h, rulesets: [], nft } : h,
    ),
  },
};

describe('the edits view of nft tables', () => {
  it('shows an nft edit as the rule nft lists: table, chain, position, text and handle', () => {
    const session = newSession(scenario);
    const done = applyChange(session, {
      kind: 'rules',
      edit: {
        host: 'reviews',
        edit: {
          op: 'nft',
          family: 'ipv4',
          command: 'insert rule inet istio-proxy-nat istio-in-redirect tcp dport 9080 return',
        },
      },
    });
    if (!done.ok) throw new Error(done.message);
    const lines = editsLines(done.session);
    expect(lines).toContain('reviews table inet istio-proxy-nat');
    expect(lines).toContain('  + istio-in-redirect 1: tcp dport 9080 return # handle 23');
    expect(lines).toContain(
      'The same changes on a real host (iptables and nft commands), and the world',
    );
    expect(lines.join('\n')).not.toMatch(/rule [ne]\d|the rules are as loaded/);
  });
});
