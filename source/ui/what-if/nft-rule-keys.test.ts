import { describe, expect, it } from 'vitest';
import { applyNftCommand } from '../../rules/edits/index.js';
import { simulate } from '../../world/simulate.js';
import { nftSidecarScenario } from '../../world/test-helpers.js';
import { nftChainAt } from '../view/nft-chain-at.js';
import { nftKeyAction } from './nft-rule-keys.js';

const { scenario, nft } = nftSidecarScenario();
const trace = simulate(scenario);
const at = (pred: (s: (typeof trace.steps)[number]) => boolean) => {
  const found = nftChainAt(scenario, trace, trace.steps.findIndex(pred));
  if (!found) throw new Error('no nft chain there');
  return found;
};

describe('the edit keys on an nft chain, as nft commands', () => {
  const redirect = at((s) => s.kind === 'rule' && s.matched && s.chain === 'istio-in-redirect');
  const where = 'inet istio-proxy-nat istio-in-redirect';

  it('name the ▶ rule by its handle', () => {
    expect(redirect.currentRow).toBe(0);
    const row = redirect.currentRow;
    expect(nftKeyAction('rule.edit', redirect, row)).toEqual({
      kind: 'prompt',
      line: `replace rule ${where} handle 10 meta l4proto tcp counter redirect to :15006`,
    });
    expect(nftKeyAction('rule.insert', redirect, row)).toEqual({
      kind: 'prompt',
      line: `insert rule ${where} position 10 `,
    });
    expect(nftKeyAction('rule.append', redirect, row)).toEqual({
      kind: 'prompt',
      line: `add rule ${where} position 10 `,
    });
    expect(nftKeyAction('rule.delete', redirect, row)).toMatchObject({
      kind: 'run',
      command: `delete rule ${where} handle 10`,
    });
  });

  it("offer a base chain's other policy, and refuse one for a regular chain", () => {
    const prerouting = at((s) => s.kind === 'rule' && s.chain === 'prerouting');
    expect(nftKeyAction('chain.policy', prerouting)).toEqual({
      kind: 'prompt',
      line: 'add chain inet istio-proxy-nat prerouting { policy drop ; }',
    });
    expect(nftKeyAction('chain.policy', redirect)).toMatchObject({ kind: 'message' });
  });

  it('without a rule, add one at the end or say where to go', () => {
    expect(nftKeyAction('rule.append', redirect, undefined)).toEqual({
      kind: 'prompt',
      line: `add rule ${where} `,
    });
    expect(nftKeyAction('rule.delete', redirect, undefined)).toMatchObject({ kind: 'message' });
  });
});

describe("the policy key's command", () => {
  it('runs in nfdb as in nft: the base chain keeps its hook and gets the policy', () => {
    const done = applyNftCommand(
      nft,
      'add chain inet istio-proxy-nat prerouting { policy drop ; }',
    );
    if (!done.ok) throw new Error(done.message);
    const chain = done.ruleset.tables[0]?.chains.find((c) => c.name === 'prerouting');
    expect(chain?.base).toMatchObject({ hook: 'PREROUTING', policy: 'drop' });
  });
});
