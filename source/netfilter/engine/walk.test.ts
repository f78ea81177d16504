/**
 * The rule scan's fast paths (walk.ts, recorder.ts) keep per-rule caches across walks (miss-reason
 * heads, shared call stacks) and build steps without literals. These pin that none of it shows:
 * a trace is the same with cold or warm caches, a stack is the path to the rule, a step is a
 * plain object.
 */

import { describe, expect, it } from 'vitest';
import { kubeProxyDump } from '../../bench/kube-proxy.js';
import type { HostConfig, Scenario, Step } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { explainStep } from '../../trace/words/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';

const SETTINGS = { seed: 7, unknownMatch: 'stop', loopLimit: 3 } as const;

function node(rules: string, extra: readonly HostConfig[] = []): Scenario['world'] {
  return {
    name: 'walk test',
    settings: SETTINGS,
    hosts: [
      {
        name: 'node',
        interfaces: [
          { name: 'lo', addresses: ['127.0.0.1/8'] },
          { name: 'eth0', addresses: ['10.244.250.1/16'], link: 'c' },
        ],
        routes: [{ destination: 'default', dev: 'eth0' }],
        ipRules: [],
        rulesets: parseRules(rules, { file: 'node.rules' }).rulesets,
        processes: [{ kind: 'client', name: 'curl', uid: 1000, gid: 1000 }],
        forwarding: false,
      },
      ...extra,
    ],
  };
}

function pod(index: number): HostConfig {
  return {
    name: `pod${index}`,
    interfaces: [{ name: 'eth0', addresses: [`10.244.0.${index}/16`], link: 'c' }],
    routes: [{ destination: 'default', dev: 'eth0' }],
    ipRules: [],
    rulesets: [],
    processes: [
      {
        kind: 'server',
        name: `pod${index}`,
        uid: 0,
        gid: 0,
        listen: [{ address: '0.0.0.0', port: 8080, protocol: 'tcp' }],
      },
    ],
    forwarding: false,
  };
}

function kubeScenario(): Scenario {
  const pods = Array.from({ length: 20 }, (_, i) => pod(i + 1));
  const to = (address: string) => ({
    fromHost: 'node',
    process: 'curl',
    to: { address, port: 80 },
    protocol: 'tcp' as const,
    payload: 10,
  });
  return {
    world: node(kubeProxyDump({ services: 40, endpointsPerService: 3 }), pods),
    traffic: ['10.96.0.1', '10.96.0.2', '10.96.0.40', '10.96.0.1', '10.96.9.9'].map(to),
  };
}

const json = (value: unknown) => JSON.stringify(value);

describe('the rule scan with its caches', () => {
  it('gives the same trace with cold and warm caches', () => {
    for (const make of [kubeScenario, bookinfoScenario]) {
      const scenario = make();
      const cold = simulate(scenario);
      const warm = simulate(scenario);
      const fresh = simulate(make());
      expect(warm).toStrictEqual(cold);
      expect(json(warm)).toBe(json(cold));
      expect(json(fresh)).toBe(json(cold));
    }
  });

  it('walks the kube-proxy chains to a pod', () => {
    const trace = simulate(kubeScenario());
    expect(trace.packets.filter((p) => p.fate === 'delivered').length).toBeGreaterThan(20);
    const misses = trace.steps.filter(
      (s) => s.kind === 'rule' && s.matched === false && s.chain === 'KUBE-SERVICES',
    );
    const first = misses[0];
    // The IP header part missed: no module, and the header's own words for it.
    expect(first?.kind === 'rule' && first.miss?.module).toBeUndefined();
    const why = first?.kind === 'rule' ? first.miss?.why : undefined;
    expect(why).toMatch(/^-d 10\.96\.0\.\d+\/32: destination is 10\.96\.0\.\d+$/);
    expect(first && explainStep(first)).toBe(`rule 1 does not match: ${why}`);
  });

  it("shows each path's own stack at a chain reached two ways", () => {
    const rules = [
      '*filter',
      ':OUTPUT ACCEPT [0:0]',
      ':A - [0:0]',
      ':B - [0:0]',
      '-A OUTPUT -j A',
      '-A OUTPUT -j B',
      '-A B -j A',
      '-A A -d 10.1.2.3/32 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    const scenario: Scenario = {
      world: node(rules),
      traffic: [
        {
          fromHost: 'node',
          process: 'curl',
          to: { address: '10.244.0.9', port: 80 },
          protocol: 'tcp',
          payload: 0,
        },
      ],
    };
    for (const trace of [simulate(scenario), simulate(scenario)]) {
      const inA = trace.steps.filter((s) => s.kind === 'rule' && s.chain === 'A');
      const frames = (s: Step | undefined) => s?.stack.map((f) => `${f.chain}@${f.ruleIndex}`);
      expect(inA.map(frames)).toEqual([
        ['OUTPUT@0', 'A@0'],
        ['OUTPUT@1', 'B@0', 'A@0'],
      ]);
      const after = trace.steps.filter((s) => s.kind === 'return' || s.kind === 'policy');
      expect(after.map(frames)).toEqual([
        ['OUTPUT@1'],
        ['OUTPUT@1', 'B@1'],
        ['OUTPUT@2'],
        ['OUTPUT@2'],
      ]);
    }
  });

  it('makes every step a plain object', () => {
    const trace = simulate(kubeScenario());
    for (const step of trace.steps) {
      expect(Object.getPrototypeOf(step)).toBe(Object.prototype);
      expect(Array.isArray(step.stack)).toBe(true);
    }
  });
});
