import { describe, expect, it } from 'vitest';
import { countersText } from '../commands/run.js';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { CounterCache, chainView, explanation, packetView, pathStrip } from './view-model.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const counters = new CounterCache(trace);
const redirect = trace.steps.findIndex((s) => s.verdict === 'REDIRECT');

describe('the view at a cursor', () => {
  it('shows the chain of the rule being evaluated, that rule current, its counter moved', () => {
    const view = chainView(scenario, trace, redirect, counters);
    expect(view?.chain).toBe('ISTIO_IN_REDIRECT');
    expect(view?.currentRow).toBe(0);
    const row = view?.rowAt(0);
    expect(row).toMatchObject({ current: true, matched: true, moved: true });
    expect(row?.text).toMatch(/^\s+1\s+60 REDIRECT/);
    expect(row?.text).toContain('redir ports 15006');
  });

  it('shows counters as they stand at the cursor, not at the end', () => {
    const before = chainView(scenario, trace, redirect - 1, counters);
    expect(before?.chain).toBe('ISTIO_INBOUND');
    const atEnd = chainView(scenario, trace, trace.steps.length - 1, counters, undefined, 0);
    expect(atEnd?.header).toContain('Chain PREROUTING');
  });

  it('agrees with nfdb run --counters at the last step for every chain', () => {
    const last = trace.steps.length - 1;
    const text = countersText(scenario, trace);
    const reviews =
      text
        .split('# host ')
        .find((b) => b.startsWith('reviews'))
        ?.split('\n') ?? [];
    let compared = 0;
    for (let b = 0; b < 8; b++) {
      const view = chainView(scenario, trace, last, counters, undefined, b);
      if (view?.host !== 'reviews') continue;
      for (let i = 0; i < view.rowCount; i++) {
        const [p, bytes] = view.rowAt(i)?.text.trim().split(/\s+/) ?? [];
        const saved = reviews.filter((l) => l.includes(`-A ${view.chain} `))[i];
        expect(saved?.startsWith(`[${p}:${bytes}]`)).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(18);
  });

  it('entering a hook, shows the first chain the packet will meet there', () => {
    const hook = trace.steps.findIndex(
      (s) => s.kind === 'hook' && s.host === 'reviews' && s.hook === 'PREROUTING',
    );
    const view = chainView(scenario, trace, hook, counters);
    expect([view?.table, view?.chain, view?.currentRow]).toEqual(['nat', 'PREROUTING', undefined]);
    const skipped = trace.steps.findIndex((s) =>
      s.explain.startsWith('nat OUTPUT is not consulted'),
    );
    expect(chainView(scenario, trace, skipped, counters)?.chain).toBe('OUTPUT');
  });

  it('describes the packet, its change and its conntrack entry', () => {
    const dnat = trace.steps.findIndex((s) => s.explain.startsWith('conntrack DNAT'));
    const view = packetView(trace, dnat);
    expect(view?.changes).toEqual(['dst 10.0.0.2:9080 → 10.0.0.2:15006']);
    expect(view?.conntrack[0]).toContain('NEW');
    expect(view?.details).toContain('sent by productpage uid 1000 gid 1000');
    expect(view?.flow[0]).toBe('tcp 10.0.0.1:40000 → 10.0.0.2:15006');
  });

  it('lights the place on the path where the cursor is', () => {
    const tokens = pathStrip(trace, redirect);
    expect(tokens.filter((t) => t.lit).map((t) => t.text)).toEqual(['PREROUTING']);
    expect(tokens.map((t) => t.text)).toContain('envoy 0.0.0.0:15006');
  });

  it('names the loopback turn-around and the wire apart on the path', () => {
    const viaLo = trace.steps.findIndex((s) => s.kind === 'wire' && s.place === 'lo');
    const texts = pathStrip(trace, viaLo).map((t) => t.text);
    expect(texts).toContain('lo');
    expect(texts).not.toContain('wire');
  });

  it("explains that envoy opens a new connection instead of rewriting the client's packets", () => {
    const opens = trace.steps.findIndex((s) => s.kind === 'process' && s.explain.includes('NEW'));
    expect(explanation(trace.steps[opens]).join(' ')).toContain('opens a new one');
  });

  it('explains why a reply skips the nat table', () => {
    const skip = trace.steps.findIndex((s) => s.explain.includes('not consulted'));
    expect(explanation(trace.steps[skip]).join(' ')).toContain('only the first packet');
  });
});
