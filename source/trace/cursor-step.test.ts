import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../io/read-snapshot.js';
import type { Scenario, Trace } from '../model/index.js';
import { parseEdit } from '../rules/edits/index.js';
import { bookinfoSnapshotJson } from '../world/scenarios/bookinfo-file.js';
import { simulate } from '../world/simulate.js';
import { editScenario } from '../world/what-if.js';
import { cursorAt, cursorStep, type SavedCursor, stepOfRuleStep } from './cursor-step.js';

function load(json: unknown): { scenario: Scenario; cursor: Parameters<typeof cursorStep>[1] } {
  const loaded = loadSnapshotText(JSON.stringify(json), 'snap.json');
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return { scenario: loaded.scenario, cursor: loaded.snapshot.cursor };
}

const ruleAt = (trace: Trace, index: number) => {
  const s = trace.steps[index];
  return s?.kind === 'rule' ? `${s.host} ${s.chain} ${s.ruleId}` : s?.kind;
};

describe('a saved cursor', () => {
  // Read off `nfdb run --json` of the nfdb before rule spans (4aee84f~1), where every rule passed
  // over was a step: its step 15 was reviews' ISTIO_IN_REDIRECT rule, now step 12.
  it('from a version 2 snapshot opens at the step its old number named', () => {
    const old = { ...(bookinfoSnapshotJson() as object), version: 2, cursor: { step: 15 } };
    const { scenario, cursor } = load(old);
    expect(cursor).toMatchObject({ step: 15, ruleStep: 15 });
    const trace = simulate(scenario);
    expect(ruleAt(trace, cursorStep(trace, cursor))).toBe('reviews ISTIO_IN_REDIRECT r8');
  });

  it('counts every rule of a span, and keeps a number past the end past the end', () => {
    const trace = simulate(load(bookinfoSnapshotJson()).scenario);
    const widths = trace.steps.map((s) => (s.kind === 'span' ? s.passed.length : 1));
    const spanAt = trace.steps.findIndex((s) => s.kind === 'span');
    const before = widths.slice(0, spanAt).reduce((a, b) => a + b, 0);
    const width = widths[spanAt] ?? 0;
    expect(width).toBeGreaterThan(1);
    expect(stepOfRuleStep(trace, before)).toBe(spanAt);
    expect(stepOfRuleStep(trace, before + width - 1)).toBe(spanAt);
    expect(stepOfRuleStep(trace, before + width)).toBe(spanAt + 1);
    const all = widths.reduce((a, b) => a + b, 0);
    expect(stepOfRuleStep(trace, all + 2)).toBe(trace.steps.length + 2);
  });

  it('written by this nfdb stays on its rule when an edit renumbers the steps', () => {
    const { scenario } = load(bookinfoSnapshotJson());
    const trace = simulate(scenario);
    const cursor = cursorAt<SavedCursor>(trace, { step: 0 }, 12);
    expect(cursor.at?.what).toBe('rule nat ISTIO_IN_REDIRECT r8');
    const parsed = parseEdit('-t nat -I ISTIO_INBOUND 1 -p tcp', 'ipv4');
    if (!parsed.ok) throw new Error('edit');
    const edited = editScenario(scenario, [{ host: 'reviews', edit: parsed.edit }]);
    if (!edited.ok) throw new Error(edited.message);
    const after = simulate(edited.scenario);
    const step = cursorStep(after, cursor);
    expect(step).not.toBe(12);
    expect(ruleAt(after, step)).toBe('reviews ISTIO_IN_REDIRECT r8');
  });
});
