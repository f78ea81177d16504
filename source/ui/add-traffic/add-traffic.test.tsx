import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { buildLiveWorld } from '../../world/live/build.js';
import { sidecarCapture } from '../../world/live/test-helpers.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { App } from '../app.js';
import { DEFAULT_KEYMAP } from '../keymap.js';
import { initialState, reduce, type UiState } from '../state.js';
import { frameWhere, keys } from '../test-helpers.js';
import { newSession, runOf } from '../what-if/session.js';

function live() {
  const built = buildLiveWorld(sidecarCapture());
  if (!built.ok) throw new Error(built.error);
  return built.live.scenario;
}

const context = { page: 10, match: () => false };

function press(state: UiState, ...names: string[]): UiState {
  return names.reduce((s, name) => {
    const trace = s.whatIf ? runOf(s.whatIf).trace : simulate(live());
    return reduce(s, trace, { type: 'key', name, keymap: DEFAULT_KEYMAP, ...context });
  }, state);
}

describe('adding traffic in the reducer', () => {
  const scenario = live();
  const start: UiState = { ...initialState, whatIf: newSession(scenario, simulate(scenario)) };

  it('T, Enter adds inbound to the first listener; the cursor is on its first step', () => {
    const added = press(start, 'T', 'return');
    expect(added.overlay).toBe('none');
    const run = added.whatIf && runOf(added.whatIf);
    expect(run?.scenario.traffic).toHaveLength(scenario.traffic.length + 1);
    const step = run?.trace.steps[added.cursor];
    const conn = run?.trace.connections.find((c) => c.id === step?.connectionId);
    expect(conn?.traffic).toBe(scenario.traffic.length);
    expect(added.message).toMatch(/^added traffic \d+: peer@peer → 10\.0\.0\.2:15001/);
  });

  it('outbound asks who sends and where; a bad destination stays with its column', () => {
    const outbound = ['T', ...Array(6).fill('j'), 'return'];
    const asked = press(start, ...outbound, 'j', 'return');
    expect(asked.overlay).toBe('add-traffic-to');
    const wrong = press(asked, 'ctrl-u', ...'10.1.2.3:80 sctp', 'return');
    expect(wrong.addTraffic?.error).toEqual({
      column: 13,
      text: 'expected tcp or udp, found "sctp"',
    });
    const right = press(wrong, 'backspace', 'backspace', 'backspace', 'backspace', 'return');
    const item = right.whatIf && runOf(right.whatIf).scenario.traffic.at(-1);
    expect(item).toMatchObject({ process: 'app', to: { address: '10.1.2.3', port: 80 } });
  });

  it('Esc goes back a step, and closes from the first', () => {
    const atSender = press(start, 'T', ...Array(6).fill('j'), 'return');
    expect(atSender.addTraffic?.stage).toBe('sender');
    const back = press(atSender, 'escape');
    expect(back.addTraffic?.stage).toBe('choice');
    expect(press(back, 'escape').overlay).toBe('none');
  });

  it('the traffic joins what the edits apply to: undo of an edit keeps it', () => {
    const added = press(start, 'T', 'return');
    const edited = press(added, 'w', ...'settings.loopLimit=5', 'return', 'u');
    expect(edited.whatIf && runOf(edited.whatIf).scenario.traffic).toHaveLength(
      scenario.traffic.length + 1,
    );
  });
});

describe('the add-traffic overlay', () => {
  it('lists the choices, the processes as their uid, and adds outbound as envoy (uid 1337)', async () => {
    const scenario = live();
    const r = render(<App scenario={scenario} trace={simulate(scenario)} />);
    await keys(r.stdin, r.lastFrame, 'T');
    let frame = r.lastFrame() ?? '';
    expect(frame).toContain('Add traffic · j/k select');
    expect(frame).toContain('❯ inbound  peer → 10.0.0.2:15001 · envoy (uid 1337)');
    expect(frame).toContain('loopback → 127.0.0.1:9080 · app (uid 1000)');
    await keys(r.stdin, r.lastFrame, ...Array(6).fill('j'), '\r');
    frame = r.lastFrame() ?? '';
    expect(frame).toContain('❯ envoy (uid 1337, gid 1337)');
    expect(frame).toContain('  app (uid 1000, gid 1000)');
    await keys(r.stdin, r.lastFrame, '\r');
    expect(r.lastFrame()).toContain('to ADDRESS:PORT [tcp|udp]');
    await keys(r.stdin, r.lastFrame, '\r');
    frame = await frameWhere(r.lastFrame, (f) => f.includes('added traffic'));
    expect(frame).toMatch(/added traffic \d+: envoy@pod → 10\.0\.0\.\d+:80 \(outbound, picked\)/);
    expect(frame).toMatch(/step \d+ of \d+/);
    r.unmount();
  });

  it('works on a scenario file too: T from the findings, on the built-in bookinfo', async () => {
    const scenario = bookinfoScenario();
    const trace = simulate(scenario);
    const r = render(<App scenario={scenario} trace={trace} />);
    await keys(r.stdin, r.lastFrame, 'T', '\r');
    const frame = await frameWhere(r.lastFrame, (f) => f.includes('added traffic'));
    expect(frame).toMatch(/added traffic \d+: productpage@productpage → 10\.0\.0\.2:/);
    expect(Number(/step \d+ of (\d+)/.exec(frame)?.[1])).toBeGreaterThan(trace.steps.length);
    r.unmount();
  });
});
