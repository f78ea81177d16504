/**
 * The edit keys on an nft chain, rendered with ink-testing-library: `e` opens the rule as the
 * nft command that replaces it (by its handle), Enter runs it again; `D` deletes the rule by its
 * handle and `u` undoes it; keys nft has no command for say so.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../world/simulate.js';
import { nftSidecarScenario } from '../../world/test-helpers.js';
import { App } from '../app.js';
import { frameWhere, keys } from '../test-helpers.js';

const { scenario } = nftSidecarScenario();
const trace = simulate(scenario);

/** The inbound redirect to envoy's 15006, where it matched. */
const redirect = trace.steps.findIndex(
  (s) => s.kind === 'rule' && s.matched && s.chain === 'istio-in-redirect',
);

async function atRedirect() {
  const r = render(
    <App scenario={scenario} trace={trace} initialCursor={redirect} findingsFirst={false} />,
  );
  await frameWhere(r.lastFrame, (f) => f.includes(`step ${redirect} of`));
  return r;
}

describe('the edit keys on an nft chain', () => {
  it('e opens the ▶ rule as nft replace by its handle; Enter runs the edited rule', async () => {
    expect(redirect).toBeGreaterThan(0);
    const { stdin, lastFrame, unmount } = await atRedirect();
    await keys(stdin, lastFrame, 'e');
    // The line is wider than the prompt: it shows its end, where the caret is.
    const prompt = await frameWhere(lastFrame, (f) => f.includes('nft command on reviews'));
    expect(prompt).toContain(
      'istio-in-redirect handle 10 meta l4proto tcp counter redirect to :15006',
    );
    await keys(stdin, lastFrame, '\x7f', '7\r');
    const done = await frameWhere(lastFrame, (f) => f.includes('WHAT-IF (1 edit'));
    // The timeline's next step: conntrack's DNAT to the port the edited rule redirects to.
    expect(done).toContain('→ 10.0.0.2:15007');
    expect(done).not.toContain('→ 10.0.0.2:15006');
    unmount();
  });

  it('D deletes the rule by its handle, u undoes it', async () => {
    const { stdin, lastFrame, unmount } = await atRedirect();
    const before = `of ${trace.steps.length} · bookinfo`;
    await keys(stdin, lastFrame, 'D');
    const deleted = await frameWhere(lastFrame, (f) =>
      f.includes('deleted rule 1 of istio-in-redirect (handle 10)'),
    );
    expect(deleted).toContain('WHAT-IF (1 edit');
    expect(deleted).not.toContain('→ 10.0.0.2:15006');
    await keys(stdin, lastFrame, 'u');
    const undone = await frameWhere(lastFrame, (f) => f.includes('undone'));
    expect(undone).toContain(before);
    expect(undone).toContain('→ 10.0.0.2:15006');
    unmount();
  });

  it('says that nft has no switching off or moving, and i opens an insert before the rule', async () => {
    const { stdin, lastFrame, unmount } = await atRedirect();
    await keys(stdin, lastFrame, 'x');
    await frameWhere(lastFrame, (f) => f.includes('nft has no switching off or moving a rule'));
    await keys(stdin, lastFrame, 'i');
    await frameWhere(lastFrame, (f) =>
      f.includes('insert rule inet istio-proxy-nat istio-in-redirect position 10'),
    );
    unmount();
  });
});
