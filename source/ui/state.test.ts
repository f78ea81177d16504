import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { type Action, actionFor, DEFAULT_KEYMAP } from './keymap.js';
import { initialState, reduce, type UiState } from './state.js';

const trace = simulate(bookinfoScenario());
const act = (s: UiState, action: Action) => reduce(s, trace, { type: 'action', action, page: 10 });
const run = (...actions: Action[]) => actions.reduce(act, initialState);

describe('the UI reducer', () => {
  it('steps forward and back and stops at both ends', () => {
    expect(run('stepForward', 'stepForward').cursor).toBe(2);
    expect(run('stepForward', 'stepBack').cursor).toBe(0);
    expect(run('stepBack').message).toBe('at the first step');
    const end = run('end');
    expect(end.cursor).toBe(trace.steps.length - 1);
    expect(act(end, 'stepForward').cursor).toBe(end.cursor);
  });

  it('jumps to the next and previous packet', () => {
    const second = run('nextPacket');
    expect(second.cursor).toBe(trace.packets[1]?.firstStep);
    expect(trace.steps[second.cursor]?.kind).toBe('emit');
    expect(act(act(second, 'stepForward'), 'prevPacket').cursor).toBe(second.cursor);
    expect(act(second, 'prevPacket').cursor).toBe(0);
  });

  it("jumps to the next connection's first packet", () => {
    const s = run('nextConnection');
    expect(trace.steps[s.cursor]?.connectionId).toBe(2);
    expect(trace.steps[s.cursor]?.explain).toContain('sends SYN');
    expect(act(s, 'prevConnection').cursor).toBe(0);
  });

  it('goes to a step, clamped to the trace', () => {
    expect(reduce(initialState, trace, { type: 'goto', step: 42 }).cursor).toBe(42);
    expect(reduce(initialState, trace, { type: 'goto', step: 1e9 }).cursor).toBe(
      trace.steps.length - 1,
    );
  });

  it('searches forward and says when nothing matches', () => {
    const found = reduce(initialState, trace, {
      type: 'search',
      query: 'redirect',
      match: (i) => trace.steps[i]?.verdict === 'REDIRECT',
    });
    expect(trace.steps[found.cursor]?.verdict).toBe('REDIRECT');
    const none = reduce(initialState, trace, { type: 'search', query: 'zzz', match: () => false });
    expect(none.message).toBe('"zzz" not found');
    expect(none.cursor).toBe(0);
  });

  it('selects stack frames outwards and back in', () => {
    const deep = trace.steps.findIndex((s) => s.stack.length === 3);
    const at = reduce(initialState, trace, { type: 'goto', step: deep });
    expect(act(at, 'frameOut').frame).toBe(1);
    expect(act(act(at, 'frameOut'), 'frameOut').frame).toBe(0);
    expect(act(act(at, 'frameOut'), 'frameIn').frame).toBeUndefined();
  });

  it('cycles panes and toggles help', () => {
    expect(run('focusNext').pane).toBe('packet');
    expect(run('focusPrev').pane).toBe('timeline');
    expect(run('help').overlay).toBe('help');
    expect(run('help', 'help').overlay).toBe('none');
  });
});

describe('keys through the reducer', () => {
  const press = (s: UiState, ...names: string[]) =>
    names.reduce(
      (t, name) =>
        reduce(t, trace, {
          type: 'key',
          name,
          action: actionFor(DEFAULT_KEYMAP, name),
          page: 10,
          match: (q, i) => trace.steps[i]?.explain.toLowerCase().includes(q) ?? false,
        }),
      s,
    );

  it('types a step into the goto prompt, digits only, and goes there on Enter', () => {
    const open = press(initialState, ':', '1', '[', 'l', '5');
    expect(open.overlay).toBe('goto');
    expect(open.input).toBe('15');
    expect(open.cursor).toBe(0);
    const done = press(open, 'return');
    expect(done.cursor).toBe(15);
    expect(done.overlay).toBe('none');
    expect(done.input).toBe('');
  });

  it('edits and cancels a search, and searches again with *', () => {
    expect(press(initialState, '/', 'a', 'b', 'backspace').input).toBe('a');
    expect(press(initialState, '/', 'a', 'escape').overlay).toBe('none');
    const found = press(initialState, '/', ...'redirect', 'return');
    expect(found.query).toBe('redirect');
    expect(press(found, '*').cursor).toBeGreaterThan(found.cursor);
    expect(press(initialState, 'q').quit).toBe(true);
  });

  it('scrolls the chain sideways with > and < and keeps it while stepping', () => {
    expect(press(initialState, '>', '>', 'l').shift).toBe(16);
    expect(press(initialState, '>', '<', '<').shift).toBe(0);
  });
});
