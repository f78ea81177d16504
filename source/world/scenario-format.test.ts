/**
 * What the scenario format says about processes: a server or DNS proxy that echoes each request's
 * size, and a TPROXY proxy that marks nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessConfig, Scenario, Trace } from '../model/index.js';
import { validateScenario } from './from-file.js';
import { simulate } from './simulate.js';
import { snapshot } from './test-helpers.js';

/** The scenario with every process of a kind changed. */
function withProcesses(s: Scenario, change: (p: ProcessConfig) => ProcessConfig): Scenario {
  const hosts = s.world.hosts.map((h) => ({ ...h, processes: h.processes.map(change) }));
  return { ...s, world: { ...s.world, hosts } };
}

const answers = (t: Trace) =>
  t.steps.flatMap((st) =>
    st.kind === 'process' && st.event.kind === 'answers' ? [st.event.bytes] : [],
  );

describe('a server that echoes', () => {
  it('answers each request with as many bytes as it carried', () => {
    const base = snapshot('sidecar-inbound');
    const echo = withProcesses(base, (p) => (p.kind === 'server' ? { ...p, response: 'echo' } : p));
    const sized = { ...echo, traffic: echo.traffic.map((t) => ({ ...t, payload: 321 })) };
    expect(answers(simulate(sized))).toEqual([321]);
    expect(answers(simulate(base))).toEqual([200]);
  });

  it('is a value of the format, beside a size', () => {
    const server = (response: unknown) => ({
      hosts: [
        {
          name: 'h',
          interfaces: [],
          processes: [
            {
              kind: 'server',
              name: 's',
              uid: 0,
              gid: 0,
              listen: [{ address: '0.0.0.0', port: 1, protocol: 'tcp' }],
              response,
            },
          ],
        },
      ],
      traffic: [],
    });
    expect(validateScenario(server('echo'), 'f').ok).toBe(true);
    expect(validateScenario(server(12), 'f').ok).toBe(true);
    expect(validateScenario(server('mirror'), 'f').ok).toBe(false);
  });
});

describe('a transparent proxy that marks nothing', () => {
  it('keeps TPROXY transparency and opens its connections unmarked', () => {
    const base = snapshot('tproxy-inbound');
    const unmarked = withProcesses(base, (p) => (p.kind === 'envoy' ? { ...p, tproxy: {} } : p));
    const marks = (t: Trace) =>
      t.connections.filter((c) => c.parent !== undefined).map((c) => firstMark(t, c.id));
    expect(marks(simulate(base))).toEqual([0x539]);
    expect(marks(simulate(unmarked))).toEqual([0]);
  });
});

/** The mark of the first packet a connection sent. */
function firstMark(t: Trace, connection: number): number | undefined {
  return t.steps.find((s) => s.connectionId === connection)?.packet.mark;
}

describe('a proxy with a limit on the connections it accepts', () => {
  const events = (t: Trace) =>
    t.steps.flatMap((st) => (st.kind === 'process' ? [st.event.kind] : []));

  it('closes every connection after its limit at once, opening nothing', () => {
    const loop = snapshot('what-if-loop');
    const limited = withProcesses(loop, (p) =>
      p.kind === 'envoy' ? { ...p, maxConnections: 2 } : p,
    );
    const t = simulate(limited);
    expect(events(t).filter((k) => k === 'proxies')).toHaveLength(2);
    expect(events(t).filter((k) => k === 'closes')).toHaveLength(1);
    // The loop never reaches its round limit: the proxy stopped taking connections first.
    expect(simulate(loop).findings.some((f) => f.kind === 'loop')).toBe(true);
    expect(t.findings.some((f) => f.kind === 'loop')).toBe(false);
  });
});
