import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { stepVerdictLabel } from '../step-text.js';
import { pathTokens } from './path-tokens.js';

const trace = simulate(bookinfoScenario());
const redirect = trace.steps.findIndex((s) => stepVerdictLabel(s) === 'REDIRECT');

describe('the path strip', () => {
  it('lights the place on the path where the cursor is', () => {
    const tokens = pathTokens(trace, redirect);
    expect(tokens.filter((t) => t.lit).map((t) => t.text)).toEqual(['PREROUTING']);
    expect(tokens.map((t) => t.text)).toContain('envoy 0.0.0.0:15006');
  });

  it('names the loopback turn-around and the wire apart on the path', () => {
    const viaLo = trace.steps.findIndex((s) => s.kind === 'wire' && s.via === 'lo');
    const texts = pathTokens(trace, viaLo).map((t) => t.text);
    expect(texts).toContain('lo');
    expect(texts).not.toContain('wire');
  });
});
