import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Beside } from '../../trace/real-beside.js';
import { buildLiveWorld } from '../../world/live/build.js';
import { sidecarCapture } from '../../world/live/test-helpers.js';
import { simulate } from '../../world/simulate.js';
import { App } from '../app.js';
import { frameWhere, keys } from '../test-helpers.js';
import type { RealFeed, RealPaths } from './feed.js';
import { realLines, realTone } from './real-lines.js';

const SAME = [
  'nat PREROUTING 1 jump ISTIO_INBOUND',
  'nat ISTIO_INBOUND 5 jump ISTIO_IN_REDIRECT',
  'nat ISTIO_IN_REDIRECT 1 REDIRECT',
];
const same: Beside = {
  real: { host: 'pod', key: 'tcp 10.0.0.1 > 10.0.0.2:9080 SYN', steps: SAME },
  simulated: { host: 'pod', key: 'tcp 10.0.0.9 > 10.0.0.2:9080 SYN', steps: SAME },
  sender: 'peer → 10.0.0.2:9080',
  item: {
    label: 'peer → 10.0.0.2:9080',
    fromHost: 'peer',
    process: 'peer',
    to: { address: '10.0.0.2', port: 9080 },
    protocol: 'tcp',
    payload: 100,
  },
  same: true,
};
const differs: Beside = {
  real: { host: 'pod', key: 'tcp 10.0.0.2 > 10.0.0.3:80 SYN', steps: ['nat OUTPUT 1 jump X'] },
  simulated: {
    host: 'pod',
    key: 'tcp 10.0.0.2 > 10.0.0.3:80 SYN',
    steps: ['nat OUTPUT policy ACCEPT'],
  },
  sender: 'app → 10.0.0.3:80',
  same: false,
};

const paths = (beside: readonly Beside[]): RealPaths => ({
  filter: 'tcp port 9080',
  table: 'nfdb_trace_42',
  traced: beside.length * 3,
  beside,
});

/** A feed the test pushes values into, as the kernel's trace would. */
function pushFeed(first: RealPaths) {
  let value = first;
  const listeners = new Set<() => void>();
  const feed: RealFeed = {
    current: () => value,
    subscribe(changed) {
      listeners.add(changed);
      return () => listeners.delete(changed);
    },
  };
  const push = (next: RealPaths) => {
    value = next;
    for (const l of listeners) l();
  };
  return { feed, push };
}

describe('the real paths view', () => {
  it('sets real and simulated side by side when wide, one above the other when narrow', () => {
    const wide = realLines(paths([differs]), 100);
    expect(wide).toContain('  ≠ nat OUTPUT 1 jump X   nat OUTPUT policy ACCEPT');
    const narrow = realLines(paths([differs]), 40);
    expect(narrow).toContain('  ≠ real:      nat OUTPUT 1 jump X');
    expect(narrow).toContain('    simulated: nat OUTPUT policy ACCEPT');
    expect(realLines(paths([same]), 40)).toContain('  = nat ISTIO_IN_REDIRECT 1 REDIRECT');
    expect(realTone('  ≠ real:      nat OUTPUT 1 jump X')).toBe('error');
    expect(realTone('  = nat OUTPUT 1 jump X')).toBeUndefined();
  });

  it('says how to get real packets where there are none', () => {
    expect(realLines(undefined, 80).join(' ')).toContain('nfdb live --trace FILTER --allow-trace');
    expect(realLines(paths([]), 80)[1]).toContain('has entered the host yet');
  });
});

describe('L in the UI', () => {
  const built = buildLiveWorld(sidecarCapture());
  if (!built.ok) throw new Error(built.error);
  const scenario = built.live.scenario;
  const trace = simulate(scenario);

  it('shows each traced connection as the feed brings it, the differences marked ≠', async () => {
    const { feed, push } = pushFeed(paths([]));
    const r = render(<App scenario={scenario} trace={trace} real={feed} />);
    await keys(r.stdin, r.lastFrame, 'L');
    let frame = r.lastFrame() ?? '';
    expect(frame).toContain('Real packets beside the simulation');
    expect(frame).toContain("'tcp port 9080': 0 packets traced · recording");
    push(paths([same, differs]));
    frame = await frameWhere(r.lastFrame, (f) => f.includes('2 connections'));
    expect(frame).toContain('1 differing from the simulation');
    expect(frame).toContain('1. pod: tcp 10.0.0.1 > 10.0.0.2:9080 SYN · simulated as peer');
    expect(frame).toMatch(/= nat ISTIO_IN_REDIRECT 1 REDIRECT +nat ISTIO_IN_REDIRECT 1 REDIRECT/);
    expect(frame).toMatch(/≠ nat OUTPUT 1 jump X +nat OUTPUT policy ACCEPT/);
    await keys(r.stdin, r.lastFrame, 'L');
    expect(r.lastFrame()).not.toContain('Real packets beside');
    r.unmount();
  });

  it("a connection's number adds it to the traffic and goes to its first step", async () => {
    const { feed } = pushFeed(paths([same, differs]));
    const r = render(<App scenario={scenario} trace={trace} real={feed} />);
    await keys(r.stdin, r.lastFrame, 'L');
    expect(r.lastFrame()).toContain("A connection's number adds it");
    await keys(r.stdin, r.lastFrame, '1');
    const frame = await frameWhere(r.lastFrame, (f) => f.includes('traced connection 1'));
    expect(frame).not.toContain('Real packets beside');
    expect(frame).toContain(`traced connection 1: added traffic ${scenario.traffic.length + 1}`);
    expect(frame).toMatch(/peer sends SYN 10\.0\.0\.\d+:\d+ → 10\.0\.0\.2:9080/);
    await keys(r.stdin, r.lastFrame, 'L', '2');
    await frameWhere(r.lastFrame, (f) => f.includes('no traced connection 2'));
    r.unmount();
  });

  it('takes numbers past 9 digit by digit, Enter ending one that could go on', async () => {
    const twelve = Array.from(
      { length: 12 },
      (_, i): Beside => ({
        ...same,
        sender: `peer ${i + 1}`,
        item: same.item && { ...same.item, label: `traced ${i + 1}` },
      }),
    );
    const { feed } = pushFeed(paths(twelve));
    const r = render(<App scenario={scenario} trace={trace} real={feed} />);
    await keys(r.stdin, r.lastFrame, 'L');
    expect(r.lastFrame()).toContain('(then Enter, if more digits could follow)');
    await keys(r.stdin, r.lastFrame, '1');
    await frameWhere(r.lastFrame, (f) => f.includes('connection 1… (another digit, or Enter)'));
    await keys(r.stdin, r.lastFrame, '2');
    await frameWhere(r.lastFrame, (f) => f.includes('traced connection 12: added traffic'));
    expect(r.lastFrame()).toContain('traced 12');
    await keys(r.stdin, r.lastFrame, 'L', '1', '\r');
    await frameWhere(r.lastFrame, (f) => f.includes('traced connection 1: added traffic'));
    await keys(r.stdin, r.lastFrame, 'L', '3');
    await frameWhere(r.lastFrame, (f) => f.includes('traced connection 3: added traffic'));
    r.unmount();
  });

  it('without nfdb live --trace, says how to record them', async () => {
    const r = render(<App scenario={scenario} trace={trace} />);
    await keys(r.stdin, r.lastFrame, 'L');
    expect(r.lastFrame()).toContain('No real packets here');
    await keys(r.stdin, r.lastFrame, '\u001b');
    await frameWhere(r.lastFrame, (f) => !f.includes('No real packets here'));
    expect(r.lastFrame()).not.toContain('No real packets here');
    r.unmount();
  });
});
