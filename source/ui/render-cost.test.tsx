/**
 * A keypress costs the same on a node with 200 services as on one with 2,000: what a frame reads
 * of the ruleset (chains, rules) and of the trace (steps) is counted, not timed, so the test is
 * the same on a loaded machine. A linear search of the chains or a scan of the packet's steps on
 * each frame reads thousands more on the larger node.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Scenario, Trace } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { simulate } from '../world/simulate.js';
import { App } from './app.js';
import { keys } from './test-helpers.js';

/**
 * A nat table like kube-proxy's: one rule per service in SERVICES, one chain per service. The long
 * chain comes last of all, as KUBE-SERVICES comes after the chains it jumps to in a large dump.
 */
function servicesRules(services: number): string {
  const ip = (i: number) => `${(i >> 8) & 255}.${i & 255}`;
  const chains = Array.from({ length: services }, (_, i) => `:KUBE-SVC-${i} - [0:0]`);
  const jumps = Array.from(
    { length: services },
    (_, i) => `-A SERVICES -d 10.96.${ip(i)}/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-${i}`,
  );
  const dnats = Array.from(
    { length: services },
    (_, i) => `-A KUBE-SVC-${i} -p tcp -m tcp -j DNAT --to-destination 10.1.${ip(i)}:8080`,
  );
  return [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...chains,
    ':SERVICES - [0:0]',
    '-A OUTPUT -j SERVICES',
    ...jumps,
    ...dnats,
    'COMMIT',
    '',
  ].join('\n');
}

function servicesScenario(services: number): Scenario {
  const { rulesets } = parseRules(servicesRules(services), { file: 'services.rules' });
  const last = services - 1;
  return {
    world: {
      name: `${services} services`,
      settings: { seed: 1, unknownMatch: 'stop', loopLimit: 3 },
      hosts: [
        {
          name: 'node',
          interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'], link: 'lan' }],
          routes: [{ destination: 'default', dev: 'eth0' }],
          ipRules: [],
          rulesets,
          processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
          forwarding: false,
        },
      ],
    },
    traffic: [
      {
        fromHost: 'node',
        process: 'curl',
        to: { address: `10.96.${(last >> 8) & 255}.${last & 255}`, port: 80 },
        protocol: 'tcp',
        payload: 0,
      },
    ],
  };
}

/** Counts reads of the elements of every array wrapped with it. */
function counter() {
  let reads = 0;
  const wrap = <T,>(items: readonly T[]): readonly T[] =>
    new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  return {
    wrap,
    take: () => {
      const n = reads;
      reads = 0;
      return n;
    },
  };
}

/** The scenario and trace with their chains, rules and steps counted as they are read. */
function counted(scenario: Scenario, trace: Trace, wrap: ReturnType<typeof counter>['wrap']) {
  const hosts = scenario.world.hosts.map((h) => ({
    ...h,
    rulesets: h.rulesets.map((r) => ({
      ...r,
      tables: r.tables.map((t) => ({
        ...t,
        chains: wrap(t.chains.map((c) => ({ ...c, rules: wrap(c.rules) }))),
      })),
    })),
  }));
  return {
    scenario: { ...scenario, world: { ...scenario.world, hosts } },
    trace: { ...trace, steps: wrap(trace.steps) },
  };
}

/** Reads of the ruleset and the trace for five steps, deep in the long list of services. */
async function readsForFiveSteps(services: number): Promise<number> {
  const loaded = servicesScenario(services);
  const plain = simulate(loaded);
  const inServices = plain.steps.findLastIndex((s) => 'chain' in s && s.chain === 'SERVICES');
  const reads = counter();
  const { scenario, trace } = counted(loaded, plain, reads.wrap);
  const app = render(
    <App
      scenario={scenario}
      trace={trace}
      initialCursor={Math.max(0, inServices - 3)}
      findingsFirst={false}
    />,
  );
  // The first visit to each step builds what is built once per run or per chain (indexes, the
  // findings): walk the five steps once, back, and count the second walk.
  await keys(app.stdin, app.lastFrame, 'l', 'l', 'l', 'l', 'l', 'h', 'h', 'h', 'h', 'h');
  reads.take();
  await keys(app.stdin, app.lastFrame, 'l', 'l', 'l', 'l', 'l');
  const n = reads.take();
  app.unmount();
  return n;
}

/**
 * Reads of the ruleset and the trace until the first frame on the findings, as the UI opens:
 * what the panes behind it build on a first look waits for the frame to be shown.
 */
async function readsForFirstFrame(services: number): Promise<number> {
  const loaded = servicesScenario(services);
  const plain = simulate(loaded);
  const reads = counter();
  const { scenario, trace } = counted(loaded, plain, reads.wrap);
  const app = render(<App scenario={scenario} trace={trace} />);
  const n = reads.take();
  expect(app.lastFrame()).toContain('Findings');
  app.unmount();
  return n;
}

describe('the cost of the first frame', () => {
  it('does not grow with the ruleset', async () => {
    const small = await readsForFirstFrame(200);
    const large = await readsForFirstFrame(2000);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThan(small * 2 + 100);
  }, 60_000);
});

describe('the cost of a keypress', () => {
  it('does not grow with the ruleset or the trace', async () => {
    const small = await readsForFiveSteps(200);
    const large = await readsForFiveSteps(2000);
    // Ten times the chains, rules and steps; a frame reads what it shows, not what there is.
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThan(small * 2 + 100);
  }, 60_000);
});
