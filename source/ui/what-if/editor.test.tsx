/**
 * The what-if editor as the user sees it, rendered with ink-testing-library: the ▶ rule's line
 * in the editor, a bad line's error in place with nothing changed, a good one applied and run
 * again, undo and redo, and the compare view with its jump to a difference.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ruleSpecText } from '../../rules/save.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { App } from '../app.js';
import { frameWhere, keys } from '../test-helpers.js';
import { chainAt } from '../view/chain-at.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const UID = '-m owner --uid-owner 1337 -j RETURN';
const CTRL_U = '\x15';
const CTRL_R = '\x12';

/** The row of envoy's uid RETURN rule in ISTIO_OUTPUT (0-based). */
const uidRow = 3;

/** The first step that passes envoy's uid RETURN rule (a span of ISTIO_OUTPUT's rules). */
const uidStep = trace.steps.findIndex((s) => {
  if (s.kind !== 'span' || s.chain !== 'ISTIO_OUTPUT') return false;
  if (s.ruleIndex > uidRow || s.ruleIndex + s.passed.length <= uidRow) return false;
  const rule = chainAt(scenario, trace, s.index)?.chain.rules[uidRow];
  return rule !== undefined && ruleSpecText(rule) === UID;
});
const uidSpan = trace.steps[uidStep];
/** Presses of . from the span's first rule (its ▶ row) to the uid rule. */
const toUid = '.'.repeat(uidRow - (uidSpan?.kind === 'span' ? uidSpan.ruleIndex : 0));

/** The first step where envoy's uid RETURN rule matched. */
const uidMatch = trace.steps.findIndex((s) => {
  if (s.kind !== 'rule' || s.chain !== 'ISTIO_OUTPUT') return false;
  const rule = chainAt(scenario, trace, s.index)?.chain.rules[s.ruleIndex];
  return rule !== undefined && ruleSpecText(rule) === UID;
});

const titleOf = (f: string) => f.split('\n')[0] ?? '';

/** The app on a step at envoy's uid RETURN rule (where it matched, or a span passing it). */
async function atUidRule(step = uidMatch) {
  const r = render(
    <App scenario={scenario} trace={trace} initialCursor={step} findingsFirst={false} />,
  );
  await frameWhere(r.lastFrame, (f) => f.includes(`step ${step} of`));
  return r;
}

describe('the what-if editor', () => {
  it('edits the ▶ rule: a bad line shows its error in place, a good one runs again, u and ctrl-r', async () => {
    const { lastFrame, stdin, unmount } = await atUidRule(uidStep);
    await keys(stdin, lastFrame, ...toUid, 'e');
    const open = await frameWhere(lastFrame, (f) => f.includes('edit rule'));
    expect(open).toMatch(/edit rule 4 of nat ISTIO_OUTPUT on reviews/);
    expect(open).toContain(`> -A ISTIO_OUTPUT ${UID}`);

    await keys(stdin, lastFrame, CTRL_U, '-A ISTIO_OUTPUT -m owner --uid-ownr 1337 -j RETURN\r');
    const bad = await frameWhere(lastFrame, (f) => f.includes('column 26:'));
    expect(bad).toMatch(/uid-ownr/);
    // The caret stands under the column: two for the prompt, then 25 before it.
    expect(bad.split('\n').some((l) => l.startsWith(`${' '.repeat(2 + 25)}^`))).toBe(true);
    expect(titleOf(bad)).not.toContain('WHAT-IF');

    await keys(stdin, lastFrame, CTRL_U, '-A ISTIO_OUTPUT -m owner --uid-owner 1000 -j RETURN\r');
    const good = await frameWhere(lastFrame, (f) => f.includes('WHAT-IF (1 edit)'));
    expect(good).toContain('replaced rule 4 of ISTIO_OUTPUT · on the same step');
    expect(good).not.toContain('edit rule');

    await keys(stdin, lastFrame, 'u');
    const undone = await frameWhere(lastFrame, (f) => f.includes('undone'));
    expect(titleOf(undone)).not.toContain('WHAT-IF');
    expect(titleOf(undone)).toContain(`step ${uidStep} of ${trace.steps.length}`);
    await keys(stdin, lastFrame, CTRL_R);
    expect(titleOf(await frameWhere(lastFrame, (f) => f.includes('redone')))).toContain(
      'WHAT-IF (1 edit)',
    );
    unmount();
  });

  it('compares the what-if with the original run and jumps to where a path differs', async () => {
    const { lastFrame, stdin, unmount } = await atUidRule();
    await keys(stdin, lastFrame, '=');
    expect(await frameWhere(lastFrame, (f) => f.includes('Compare'))).toContain(
      'Nothing to compare yet',
    );
    await keys(stdin, lastFrame, '=', 'D');
    await frameWhere(lastFrame, (f) => f.includes('WHAT-IF (1 edit)'));
    await keys(stdin, lastFrame, '=');
    const compare = await frameWhere(lastFrame, (f) => f.includes('Compare'));
    // Envoy's gid still returns it: the same outcome, by another rule.
    expect(compare).toContain('1 path differs: n/N goes to the next/previous');
    expect(compare).toContain('first difference, packet 1 (SYN)');
    expect(compare).toContain(`before: reviews OUTPUT nat ISTIO_OUTPUT 4: ${UID} → RETURN`);
    expect(compare).toContain(
      'after:  reviews OUTPUT nat ISTIO_OUTPUT 6: -m owner --gid-owner 1337 -j RETURN → RETURN',
    );
    expect(compare).toContain('the same findings');
    await keys(stdin, lastFrame, 'n');
    const jumped = await frameWhere(lastFrame, (f) => f.includes('difference 1 of'));
    expect(jumped).not.toContain('Compare');
    unmount();
  });

  it('switches the ▶ rule off, counts it in the chain pane, and X puts it back', async () => {
    const { lastFrame, stdin, unmount } = await atUidRule();
    await keys(stdin, lastFrame, 'x');
    const off = await frameWhere(lastFrame, (f) => f.includes('WHAT-IF (1 edit)'));
    expect(off).toContain('nat OUTPUT › ISTIO_OUTPUT · 1 off (X)');
    expect(off).toContain('switched rule 4 of ISTIO_OUTPUT off · that step is gone');
    await keys(stdin, lastFrame, 'X');
    const on = await frameWhere(lastFrame, (f) => f.includes('WHAT-IF (2 edits)'));
    expect(on).not.toContain('off (X)');
    expect(on).toContain('switched back on');
    unmount();
  });
});
