import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { App } from '../app.js';
import { DEFAULT_KEYMAP } from '../keymap.js';
import { initialState, reduce } from '../state.js';
import { frameWhere, keys } from '../test-helpers.js';
import type { ReportRequest, ReportResult } from './types.js';

const scenario = bookinfoScenario();
const trace = simulate(scenario);

/** A writer that keeps what it was asked and answers as told. */
function fakeWriter(answer: ReportResult) {
  const asked: ReportRequest[] = [];
  const write = async (request: ReportRequest) => {
    asked.push(request);
    return answer;
  };
  return { asked, write };
}

describe('r in the reducer', () => {
  it('asks for a report, a new request each time, and shows the answer', () => {
    const context = { page: 10, match: () => false };
    const press = (s: typeof initialState) =>
      reduce(s, trace, { type: 'key', name: 'r', keymap: DEFAULT_KEYMAP, ...context });
    const first = press(initialState);
    expect(first.report).toEqual({ requested: true });
    expect(first.message).toBe('writing the report…');
    expect(press(first).report).not.toBe(first.report);
    const done = reduce(first, trace, { type: 'report', message: 'report written: a.md' });
    expect(done.report).toBeUndefined();
    expect(done.message).toBe('report written: a.md');
  });
});

describe('r in the app', () => {
  it('writes the report of the run on screen and names the files', async () => {
    const writer = fakeWriter({ ok: true, paths: ['/here/r.md', '/here/r.html'] });
    const app = render(<App scenario={scenario} trace={trace} report={writer.write} />);
    await keys(app.stdin, app.lastFrame, 'r');
    const frame = await frameWhere(app.lastFrame, (f) => f.includes('report written'));
    expect(frame).toContain('report written: /here/r.md and /here/r.html');
    expect(writer.asked).toHaveLength(1);
    expect(writer.asked[0]?.original.trace).toBe(trace);
    expect(writer.asked[0]?.whatIf).toBeUndefined();
    app.unmount();
  });

  it('after a what-if, asks for both runs with the changes made', async () => {
    const writer = fakeWriter({ ok: false, message: '/here: EACCES' });
    const app = render(
      <App scenario={scenario} trace={trace} report={writer.write} findingsFirst={false} />,
    );
    await keys(app.stdin, app.lastFrame, 'R');
    await frameWhere(app.lastFrame, (f) => f.includes('WHAT-IF'));
    await keys(app.stdin, app.lastFrame, 'r');
    const frame = await frameWhere(app.lastFrame, (f) => f.includes('no report written'));
    expect(frame).toContain('no report written: /here: EACCES');
    const request = writer.asked[0];
    expect(request?.original.trace).toBe(trace);
    expect(request?.whatIf?.trace).not.toBe(trace);
    expect(request?.whatIf?.changes).toEqual([
      "--proxy-mode rewrite (nfdb's hypothesis: no kernel to compare with)",
    ]);
    app.unmount();
  });

  it('says so where nothing writes files', async () => {
    const app = render(<App scenario={scenario} trace={trace} />);
    await keys(app.stdin, app.lastFrame, 'r');
    const frame = await frameWhere(app.lastFrame, (f) => f.includes('no report written'));
    expect(frame).toContain('no report written: nothing here writes files');
    app.unmount();
  });
});
