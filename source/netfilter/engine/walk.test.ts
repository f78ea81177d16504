/**
 * The rule scan's fast paths (walk.ts, recorder.ts) keep per-rule caches across walks (miss-reason
 * heads, shared call stacks) and build steps without literals. These pin that none of it shows:
 * a trace is the same with cold or warm caches, a stack is the path to the rule, a step is a
 * plain object.
 */

import { describe, expect, it } from 'vitest';
import { kubeProxyDump } from '../../bench/kube-proxy.js';
import type { EngineSettings, HostConfig, PassedRule, Scenario, Step } from '../../model/index.js';
import { passedMiss } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { explainStep } from '../../trace/words/index.js';
import { bookinfoScenario } from '../../world/scenarios/bookinfo.js';
import { simulate } from '../../world/simulate.js';
import { context, packet, rulesetOf, saveText } from '../test-helpers.js';
import { compileRuleset } from './compile.js';
import { TraceRecorder } from './recorder.js';
import { walkTable } from './walk.js';

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
    const spans = trace.steps.filter((s) => s.kind === 'span' && s.chain === 'KUBE-SERVICES');
    const first = spans[0];
    if (first?.kind !== 'span') throw new Error('no span in KUBE-SERVICES');
    // The IP header part missed: no module, and the header's own words for it.
    const miss = passedMiss(first.passed[0] as PassedRule, first.packet);
    expect(miss.module).toBeUndefined();
    expect(miss.why).toMatch(/^-d 10\.96\.0\.\d+\/32: destination is 10\.96\.0\.\d+$/);
    // The first connection goes to the first service: one rule passed, said in full.
    expect(explainStep(first)).toBe(`rule 1 does not match: ${miss.why}`);
    // The third goes to service 40 of 40: 39 rules passed are one step.
    const third = spans.find((s) => s.kind === 'span' && s.passed.length === 39);
    expect(third && explainStep(third)).toBe('rules 1–39 do not match');
  });

  it('passes the rules that miss as one step, each miss kept, and no counter moves', () => {
    const { steps } = walkOutput([
      ':OUTPUT ACCEPT [0:0]',
      '-A OUTPUT -d 192.0.2.1/32 -j DROP',
      '-A OUTPUT -p udp -j DROP',
      '-A OUTPUT -m mark --mark 0x5 -j DROP',
      '-A OUTPUT -j ACCEPT',
    ]);
    expect(steps.map(brief)).toEqual(['passed OUTPUT r1 r2 r3', 'rule OUTPUT r4 accept']);
    const span = steps[0];
    if (span?.kind !== 'span') throw new Error('expected a span');
    expect(span.ruleIndex).toBe(0);
    expect(span.counters).toEqual([]);
    expect(span.stack).toEqual([{ table: 'filter', chain: 'OUTPUT', ruleIndex: 0 }]);
    expect(span.passed.map((p) => passedMiss(p, span.packet))).toEqual([
      { why: `-d 192.0.2.1/32: destination is ${span.packet.dst}` },
      { why: '-p udp: the packet is tcp' },
      { module: 'mark', why: expect.any(String) },
    ]);
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
      const inA = trace.steps.filter(
        (s) => (s.kind === 'rule' || s.kind === 'span') && s.chain === 'A',
      );
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

/**
 * The filter table's OUTPUT walked for one TCP SYN (60 bytes) by walkTable alone: its result
 * and the steps it recorded.
 */
function walkOutput(
  lines: readonly string[],
  unknownMatch: EngineSettings['unknownMatch'] = 'stop',
) {
  const table = compileRuleset(rulesetOf(saveText('filter', ...lines))).tables.get('filter');
  if (!table) throw new Error('no filter table');
  const rec = new TraceRecorder('walk');
  rec.atHost('node');
  const result = walkTable({
    table,
    hook: 'OUTPUT',
    packet: packet(),
    context: context(),
    settings: { ...SETTINGS, unknownMatch },
    rec,
  });
  return { result, steps: rec.finish(['node'], []).steps };
}

/** A step as `kind chain` with its rule id and verdict kind or policy, for order tests. */
function brief(s: Step): string {
  if (s.kind === 'rule') return `rule ${s.chain} ${s.ruleId} ${s.verdict?.kind ?? 'miss'}`;
  if (s.kind === 'span') return `passed ${s.chain} ${s.passed.map((p) => p.ruleId).join(' ')}`;
  if (s.kind === 'policy') return `policy ${s.chain} ${s.policy}`;
  if (s.kind === 'return') return `return ${s.chain} to ${s.to}`;
  if (s.kind === 'stop') return `stop ${s.chain} ${s.ruleId} ${s.reason.kind}`;
  return s.kind;
}

describe('walkTable (ipt_do_table)', () => {
  it('returns from a user chain that a goto entered to the chain that jumped before it', () => {
    // ipt_do_table: -g does not push onto the jump stack, so the end of B pops back to OUTPUT.
    const { result, steps } = walkOutput([
      ':OUTPUT DROP [0:0]',
      ':A - [0:0]',
      ':B - [0:0]',
      '-A OUTPUT -j A',
      '-A OUTPUT -j ACCEPT',
      '-A A -g B',
      '-A A -j DROP',
      '-A B -d 192.0.2.1/32 -j DROP',
    ]);
    expect(result.verdict).toBe('ACCEPT');
    expect(steps.map(brief)).toEqual([
      'rule OUTPUT r1 jump',
      'rule A r3 goto',
      'passed B r5',
      'return B to OUTPUT',
      'rule OUTPUT r2 accept',
    ]);
    // B sits where A sat: under OUTPUT's jump, not under A's goto.
    expect(steps[2]?.stack).toEqual([
      { table: 'filter', chain: 'OUTPUT', ruleIndex: 0 },
      { table: 'filter', chain: 'B', ruleIndex: 0 },
    ]);
  });

  it('applies the policy at a RETURN in a built-in chain, skipping the rules after it', () => {
    // ipt_do_table: XT_RETURN with an empty jump stack goes to the hook's underflow (the policy).
    const { result, steps } = walkOutput([
      ':OUTPUT ACCEPT [0:0]',
      '-A OUTPUT -j RETURN',
      '-A OUTPUT -j DROP',
    ]);
    expect(result.verdict).toBe('ACCEPT');
    expect(steps.map(brief)).toEqual(['rule OUTPUT r1 return', 'policy OUTPUT ACCEPT']);
    expect(steps[1]?.counters).toEqual([
      {
        host: 'node',
        family: 'ipv4',
        table: 'filter',
        chain: 'OUTPUT',
        rule: 'policy',
        packets: 1,
        bytes: 60,
      },
    ]);
  });

  it('moves no counter at the policy of a chain iptables-nft made for a rule (no -P)', () => {
    // nft_update_chain_stats: a base chain made without NFTA_CHAIN_COUNTERS has no stats.
    const { result, steps } = walkOutput(['-A OUTPUT -p udp -j DROP']);
    expect(result.verdict).toBe('ACCEPT');
    expect(steps.map(brief)).toEqual(['passed OUTPUT r1', 'policy OUTPUT ACCEPT']);
    expect(steps[1]?.counters).toEqual([]);
  });

  it('stops at a jump to a chain that does not exist', () => {
    const { result, steps } = walkOutput([':OUTPUT ACCEPT [0:0]', '-A OUTPUT -j NOPE']);
    expect(result.verdict).toBe('STOP');
    expect(result.stop).toEqual({
      reason: { kind: 'missing-chain', chain: 'NOPE' },
      rule: 'r1',
      step: 0,
    });
    expect(steps.map(brief)).toEqual(['stop OUTPUT r1 missing-chain']);
  });

  describe('the depth limit of 64 chains', () => {
    /** OUTPUT jumps to C1, each Ci to C(i+1), the last one accepts. */
    const nested = (depth: number) => {
      const names = Array.from({ length: depth }, (_, i) => `C${i + 1}`);
      return [
        ':OUTPUT DROP [0:0]',
        ...names.map((n) => `:${n} - [0:0]`),
        '-A OUTPUT -j C1',
        ...names.map((n, i) => (i + 1 < depth ? `-A ${n} -j C${i + 2}` : `-A ${n} -j ACCEPT`)),
      ];
    };

    it('walks 63 chains below a built-in one', () => {
      expect(walkOutput(nested(63)).result.verdict).toBe('ACCEPT');
    });

    it('stops at the jump that would make a 65th frame', () => {
      const { result, steps } = walkOutput(nested(64));
      expect(result.verdict).toBe('STOP');
      expect(result.stop?.reason).toEqual({ kind: 'too-deep', limit: 64 });
      expect(steps.at(-1)).toMatchObject({ kind: 'stop', chain: 'C63', ruleId: 'r64' });
    });
  });

  describe('a target nfdb does not simulate', () => {
    const lines = [':OUTPUT DROP [0:0]', '-A OUTPUT -j FOOBAR --x 1', '-A OUTPUT -j ACCEPT'];

    it('stops the walk when unknownMatch is stop', () => {
      const { result, steps } = walkOutput(lines, 'stop');
      expect(result.stop?.reason).toEqual({
        kind: 'not-simulated',
        gap: { type: 'target', module: 'FOOBAR' },
      });
      expect(steps.map(brief)).toEqual(['stop OUTPUT r1 not-simulated']);
    });

    for (const setting of ['match', 'no-match'] as const) {
      it(`is a no-op that matched when unknownMatch is ${setting}`, () => {
        const { result, steps } = walkOutput(lines, setting);
        expect(result.verdict).toBe('ACCEPT');
        expect(steps.map(brief)).toEqual(['rule OUTPUT r1 target', 'rule OUTPUT r2 accept']);
        expect(steps[0]).toMatchObject({
          matched: true,
          verdict: { kind: 'target', name: 'FOOBAR', simulated: false },
        });
      });
    }
  });
});

describe('the end of a user chain a built-in chain went to with -g', () => {
  // ipt_do_table: -g pushes nothing onto the jump stack, so when B ends (its implicit RETURN)
  // or says RETURN, the stack is empty and the walk goes to private->underflow[hook]: the
  // built-in chain's policy, OUTPUT DROP here, counted on OUTPUT's policy counter.
  for (const [name, b] of [
    ['falls off its end', []],
    ['says RETURN', ['-A B -j RETURN']],
  ] as const) {
    it(`${name}: OUTPUT's policy decides`, () => {
      const { result, steps } = walkOutput([
        ':OUTPUT DROP [0:0]',
        ':B - [0:0]',
        '-A OUTPUT -g B',
        ...b,
      ]);
      expect(result.verdict).toBe('DROP');
      const policy = steps.at(-1);
      expect(policy?.kind === 'policy' && [policy.chain, policy.policy]).toEqual([
        'OUTPUT',
        'DROP',
      ]);
      expect(policy?.counters.map((c) => `${c.chain} ${c.rule}`)).toEqual(['OUTPUT policy']);
    });
  }
});
