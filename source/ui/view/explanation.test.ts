import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { explanation } from './explanation.js';

const trace = simulate(bookinfoScenario());

describe('the explanation of a step', () => {
  it("explains that envoy opens a new connection instead of rewriting the client's packets", () => {
    const opens = trace.steps.findIndex((s) => s.kind === 'process' && s.event.kind === 'proxies');
    expect(trace.steps[opens]?.kind).toBe('process');
    expect(explanation(trace.steps[opens]).join(' ')).toContain('opens a new one');
  });

  it('explains why a reply skips the nat table', () => {
    const skip = trace.steps.findIndex(
      (s) => s.kind === 'conntrack' && s.event.kind === 'nat-skipped',
    );
    expect(explanation(trace.steps[skip]).join(' ')).toContain('only the first packet');
  });
});
