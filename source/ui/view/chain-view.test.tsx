import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { countersText } from '../../commands/run.js';
import { loadSnapshotText } from '../../io/read-snapshot.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { ChainPane } from '../components/ChainPane.js';
import { stepVerdictLabel } from '../step-text.js';
import { chainView } from './chain-view.js';
import { CounterCache } from './counter-cache.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const counters = new CounterCache(trace);
const redirect = trace.steps.findIndex((s) => stepVerdictLabel(s) === 'REDIRECT');

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
    // The nat table a later packet does not enter: a table and hook with no chain.
    const skipped = trace.steps.findIndex(
      (s) => s.kind === 'conntrack' && s.event.kind === 'nat-skipped' && s.hook === 'OUTPUT',
    );
    expect(chainView(scenario, trace, skipped, counters)?.chain).toBe('OUTPUT');
  });

  it('where the walk stops at a rule it does not simulate, marks that rule current', () => {
    const file = join(import.meta.dirname, '../../../snapshots/ambient-host-probe.json');
    const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // Without its ipsets the scenario stops at the -m set rule: nfdb cannot decide it.
    const hosts = loaded.scenario.world.hosts.map((h) => ({ ...h, ipsets: undefined }));
    const stopping = { ...loaded.scenario, world: { ...loaded.scenario.world, hosts } };
    const t = simulate(stopping);
    const stop = t.steps.findIndex((s) => s.kind === 'stop' && s.ruleId !== undefined);
    const view = chainView(stopping, t, stop, new CounterCache(t));
    expect([view?.chain, view?.currentRow]).toEqual(['ISTIO_POSTRT', 0]);
    expect(view?.rowAt(0)?.current).toBe(true);
    const pane = render(
      <ChainPane view={view} stack="" height={10} width={90} scroll={0} focused />,
    );
    const marked = (pane.lastFrame() ?? '').split('\n').filter((l) => l.includes('▶'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain('match-set');
    pane.unmount();
  });
});
