import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../world/scenarios/bookinfo.js';
import { simulate } from '../world/simulate.js';
import { type Command, DEFAULT_KEYMAP } from './keymap.js';
import { initialState, modeOf, reduce, type UiState } from './state.js';
import { stepVerdictLabel } from './step-text.js';
import { maxScroll, scrollWindow } from './view/scroll-window.js';
import { searchIndex } from './view/search-index.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);
const text = searchIndex(scenario, trace);
const match = (q: string, i: number) => text[i]?.includes(q) ?? false;
const verdictAt = (i: number) => {
  const step = trace.steps[i];
  return step && stepVerdictLabel(step);
};
const act = (s: UiState, command: Command) =>
  reduce(s, trace, { type: 'command', command, page: 10, match });
const run = (...commands: Command[]) => commands.reduce(act, initialState);

describe('the UI reducer', () => {
  it('steps forward and back and stops at both ends', () => {
    expect(run('step.next', 'step.next').cursor).toBe(2);
    expect(run('step.next', 'step.prev').cursor).toBe(0);
    expect(run('step.prev').message).toBe('at the first step');
    const end = run('step.last');
    expect(end.cursor).toBe(trace.steps.length - 1);
    expect(act(end, 'step.next').cursor).toBe(end.cursor);
  });

  it('scrolls the help under its own keys, not the pane, and opens it at its top', () => {
    const help = run('help.toggle');
    const press = (st: UiState, ...names: string[]) =>
      names.reduce(
        (x, name) =>
          reduce(x, trace, { type: 'key', name, keymap: DEFAULT_KEYMAP, page: 10, match }),
        st,
      );
    const scrolled = press(help, 'j', 'down', 'pagedown');
    expect(scrolled.helpScroll).toBe(12);
    expect(scrolled.scroll).toBe(0);
    expect(press(scrolled, 'pageup', 'pageup', 'k').helpScroll).toBe(0);
    expect(act(act(scrolled, 'help.toggle'), 'help.toggle').helpScroll).toBe(0);
    const bounded = (st: UiState, command: Command) =>
      reduce(st, trace, {
        type: 'command',
        command,
        page: 10,
        match,
        scrollMax: { packet: 3, help: 5 },
      });
    expect(bounded(bounded(help, 'help.page.down'), 'help.up').helpScroll).toBe(4);
    const packet = act(initialState, 'pane.next');
    expect(packet.pane).toBe('packet');
    expect(bounded(bounded(bounded(packet, 'page.down'), 'scroll.up'), 'page.up').scroll).toBe(0);
    expect(bounded(bounded(packet, 'page.down'), 'scroll.up').scroll).toBe(2);
  });

  describe('the findings view', () => {
    // Three findings with steps, of two rows each, among twenty rows; eight rows fit.
    const findings = {
      fit: 8,
      rows: 20,
      targets: [
        { step: 21, first: 0, last: 1 },
        { step: 82, first: 6, last: 7 },
        { step: 307, first: 12, last: 13 },
      ],
    };
    const scrollMax = { packet: 0, help: 0, findings: maxScroll(findings.rows, findings.fit) };
    const open = { ...initialState, overlay: 'findings' as const };
    const press = (st: UiState, ...names: string[]) =>
      names.reduce(
        (x, name) =>
          reduce(x, trace, {
            type: 'key',
            name,
            keymap: DEFAULT_KEYMAP,
            page: 10,
            match,
            scrollMax,
            findings,
          }),
        st,
      );

    it('selects the next finding with j and scrolls just enough to show it whole', () => {
      const second = press(open, 'j');
      expect(second.finding).toBe(1);
      const shown = scrollWindow(findings.rows, findings.fit, second.findingsScroll);
      expect(shown.start).toBeLessThanOrEqual(6);
      expect(shown.end).toBeGreaterThan(7);
      expect(press(open, 'j', 'j', 'k', 'k').finding).toBe(0);
      expect(press(open, 'j', 'j', 'k', 'k').findingsScroll).toBe(0);
    });

    it('scrolls on past the last finding, no further than its end, and back at once', () => {
      const end = press(open, 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
      expect(end.finding).toBe(2);
      expect(end.findingsScroll).toBe(scrollMax.findings);
      expect(press(end, 'pagedown').findingsScroll).toBe(scrollMax.findings);
      expect(press(end, 'pageup').findingsScroll).toBe(scrollMax.findings - 7);
    });

    it("goes to the selected finding's step with Enter and closes", () => {
      const gone = press(open, 'j', 'j', 'return');
      expect(gone.cursor).toBe(307);
      expect(gone.overlay).toBe('none');
      expect(modeOf(gone)).toBe('browse');
    });

    it('closes with f, Esc or q, and opens again with f where it was', () => {
      for (const key of ['f', 'escape', 'q']) {
        const closed = press(open, 'j', key);
        expect(closed.overlay).toBe('none');
        expect(closed.quit).toBeUndefined();
        expect(press(closed, 'f')).toMatchObject({ overlay: 'findings', finding: 1 });
      }
      expect(press(open, 'l').cursor).toBe(0);
    });

    it('says so when no finding has a step', () => {
      const none = reduce(open, trace, {
        type: 'key',
        name: 'return',
        keymap: DEFAULT_KEYMAP,
        page: 10,
        match,
        findings: { fit: 8, rows: 3, targets: [] },
      });
      expect(none).toMatchObject({ overlay: 'findings', cursor: 0 });
      expect(none.message).toBe('no finding has a step to go to');
    });
  });

  it('scrolls the chain and the timeline within their bounds, both ways', () => {
    const followBounds = { chain: { min: -2, max: 3 }, timeline: { min: 0, max: 1 } };
    const bounded = (st: UiState, command: Command) =>
      reduce(st, trace, { type: 'command', command, page: 10, match, followBounds });
    const press = (st: UiState, ...commands: Command[]) => commands.reduce(bounded, st);
    expect(press(initialState, 'page.down').scroll).toBe(3);
    // Presses past the end are not ones to undo: one key up moves at once.
    expect(press(initialState, 'page.down', 'page.down', 'scroll.up').scroll).toBe(2);
    expect(press(initialState, 'page.up', 'scroll.down').scroll).toBe(-1);
    const timeline = press(initialState, 'pane.next', 'pane.next');
    expect(timeline.pane).toBe('timeline');
    expect(press(timeline, 'scroll.up').scroll).toBe(0);
    expect(press(timeline, 'page.down').scroll).toBe(1);
  });

  it('jumps to the next and previous packet', () => {
    const second = run('packet.next');
    expect(second.cursor).toBe(trace.packets[1]?.firstStep);
    expect(trace.steps[second.cursor]?.kind).toBe('emit');
    expect(act(act(second, 'step.next'), 'packet.prev').cursor).toBe(second.cursor);
    expect(act(second, 'packet.prev').cursor).toBe(0);
  });

  it("jumps to the next connection's first packet", () => {
    const s = run('connection.next');
    expect(trace.steps[s.cursor]?.connectionId).toBe(2);
    expect(trace.steps[s.cursor]?.kind).toBe('emit');
    expect(act(s, 'connection.prev').cursor).toBe(0);
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
      match: (i) => verdictAt(i) === 'REDIRECT',
    });
    expect(verdictAt(found.cursor)).toBe('REDIRECT');
    const none = reduce(initialState, trace, { type: 'search', query: 'zzz', match: () => false });
    expect(none.message).toBe('"zzz" not found');
    expect(none.cursor).toBe(0);
  });

  it('selects stack frames outwards and back in', () => {
    const deep = trace.steps.findIndex((s) => s.stack.length === 3);
    const at = reduce(initialState, trace, { type: 'goto', step: deep });
    expect(act(at, 'frame.out').frame).toBe(1);
    expect(act(act(at, 'frame.out'), 'frame.out').frame).toBe(0);
    expect(act(act(at, 'frame.out'), 'frame.in').frame).toBeUndefined();
  });

  it('cycles panes and toggles help', () => {
    expect(run('pane.next').pane).toBe('packet');
    expect(run('pane.prev').pane).toBe('timeline');
    expect(run('help.toggle').overlay).toBe('help');
    expect(run('help.toggle', 'help.toggle').overlay).toBe('none');
  });
});

describe('keys through the reducer', () => {
  const press = (s: UiState, ...names: string[]) =>
    names.reduce(
      (t, name) =>
        reduce(t, trace, {
          type: 'key',
          name,
          keymap: DEFAULT_KEYMAP,
          page: 10,
          match,
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

  it('closes the help with q or Esc instead of quitting, and steps under it', () => {
    expect(press(initialState, '?', 'q')).toMatchObject({ overlay: 'none' });
    expect(press(initialState, '?', 'q').quit).toBeUndefined();
    expect(press(initialState, '?', 'escape').overlay).toBe('none');
    expect(press(initialState, '?', 'l')).toMatchObject({ overlay: 'help', cursor: 1 });
  });

  it('keeps the traffic picker open for keys it does not take, and closes it with Esc', () => {
    expect(press(initialState, 't', 'l', 'q')).toMatchObject({ overlay: 'traffic', cursor: 0 });
    expect(press(initialState, 't', 'escape').overlay).toBe('none');
  });

  it('picks a traffic item from keys typed in one burst after t', () => {
    const reviewsToRatings = trace.packets.find((p) => p.connectionId === 3)?.firstStep;
    const picked = press(initialState, 't', 'down', 'return');
    expect(picked).toMatchObject({ overlay: 'none', cursor: reviewsToRatings });
    expect(press(initialState, 't', 'down', 'down', 'up', 'return').cursor).toBe(0);
  });
});
