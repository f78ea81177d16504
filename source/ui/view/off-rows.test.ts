import { describe, expect, it } from 'vitest';
import { ZERO_COUNTERS } from '../../model/index.js';
import { switchedOff } from '../../rules/edits/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { DEFAULT_KEYMAP } from '../keymap.js';
import { initialState, reduce, type UiState } from '../state.js';
import { newSession, runOf } from '../what-if/session.js';
import { chainView } from './chain-view.js';
import { CounterCache } from './counter-cache.js';
import { offRows } from './off-rows.js';

const rule = (id: string) => ({
  id,
  matches: [],
  counters: ZERO_COUNTERS,
  origin: { file: '', line: 1, column: 1 },
});

describe('switched-off rows among the live ones', () => {
  it('go where they were, in order, the live rules around them in theirs', () => {
    const rows = offRows(4, [
      { rule: rule('b'), index: 3 },
      { rule: rule('a'), index: 1 },
      { rule: rule('z'), index: 99 },
    ]);
    expect(rows.count).toBe(7);
    const shown = Array.from({ length: rows.count }, (_, i) => {
      const what = rows.at(i);
      return 'off' in what ? what.off.rule.id : what.live;
    });
    expect(shown).toEqual(['a', 0, 'b', 1, 2, 3, 'z']);
    expect([0, 1, 2, 3].map(rows.rowOf)).toEqual([1, 3, 4, 5]);
  });

  it('show in the chain pane greyed and marked off, the ▶ rule still on its own row', () => {
    const scenario = bookinfoScenario();
    const trace = simulate(scenario);
    const press = (s: UiState, name: string) =>
      reduce(s, s.whatIf ? runOf(s.whatIf).trace : trace, {
        type: 'key',
        name,
        keymap: DEFAULT_KEYMAP,
        page: 10,
        match: () => false,
      });
    // A rule the packet stops at (misses are spans): the one `x` switches off.
    const step = trace.steps.findIndex(
      (s) => s.kind === 'rule' && s.chain === 'ISTIO_OUTPUT' && s.ruleIndex > 0,
    );
    const stop = trace.steps[step];
    const k = stop?.kind === 'rule' ? stop.ruleIndex : -1;
    const at = reduce({ ...initialState, whatIf: newSession(scenario, trace) }, trace, {
      type: 'goto',
      step,
    });
    const off = press(at, 'x');
    const session = off.whatIf;
    if (!session) throw new Error('no what-if');
    const run = runOf(session);
    const view = chainView(
      run.scenario,
      run.trace,
      off.cursor,
      new CounterCache(run.trace),
      undefined,
      undefined,
      undefined,
      switchedOff(session.rules),
    );
    const before = chainView(scenario, trace, step, new CounterCache(trace));
    expect(view?.rowCount).toBe(before?.rowCount);
    const rows = Array.from({ length: view?.rowCount ?? 0 }, (_, i) => view?.rowAt(i));
    const offRow = rows.find((r) => r?.off);
    expect(offRow?.index).toBe(k);
    expect(offRow?.text).toMatch(/^ {2}off {7}\S/);
    expect(offRow?.text.slice(12)).toBe(before?.rowAt(k)?.text.slice(12));
    // The cursor left the rule switched off: no ▶ on its row, at most one ▶ in the pane.
    expect(rows.filter((r) => r?.current).length).toBeLessThanOrEqual(1);
    expect(offRow?.current).toBe(false);
    expect(view?.currentRow).not.toBe(k);
  });
});
