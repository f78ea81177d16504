import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { explanation } from './explanation.js';
import { searchIndex } from './search-index.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const index = searchIndex(scenario, trace);
const found = (q: string) => index.findIndex((text) => text.includes(q.toLowerCase()));

describe('the search index', () => {
  it('finds a rule by the text the user wrote (-S), not only as -L lists it', () => {
    const i = found('-m owner --uid-owner 1337 -j RETURN');
    expect(i).toBeGreaterThanOrEqual(0);
    const step = trace.steps[i];
    // The first packet to meet it passes it: a span of ISTIO_OUTPUT's rules.
    expect(step?.kind).toBe('span');
    expect(step?.kind === 'span' && step.chain).toBe('ISTIO_OUTPUT');
  });

  it('finds the -L text, a chain name and the words of a lesson, whatever their case', () => {
    expect(found('owner UID match 1337')).toBeGreaterThanOrEqual(0);
    expect(found('istio_in_redirect')).toBeGreaterThanOrEqual(0);
    const lesson = trace.steps.findIndex((s) => explanation(s).length > 1);
    const words = explanation(trace.steps[lesson]).at(-1) ?? '';
    expect(found(words.toUpperCase())).toBe(lesson);
  });
});
