/**
 * The engine's figures for `npm run bench`, each measured in a fresh child process so that its
 * peak RSS is its own and nothing warmed by another figure helps it:
 *
 *  - first packet: one TCP connection's SYN from a node whose iptables are the 10,000-service
 *    kube-proxy dump, to a ClusterIP near the end of KUBE-SERVICES, through OUTPUT and
 *    POSTROUTING (the nat table walked rule by rule, DNAT, MASQUERADE). The dump is parsed once,
 *    outside the timing; each repetition gets a fresh host (fresh conntrack, sockets, nth
 *    counters) and a fresh recorder, so the nat table is really walked every time. The compiled
 *    ruleset cache (a RulesetCompiler, keyed by Ruleset identity) stays warm after the first
 *    packet, as it does in a UI that simulates again; the cold first packet, compile included, is reported on its own.
 *    No host answers on the link, so the SYN ends "lost" after POSTROUTING: no reply packets.
 *  - packets/s: simulate(bookinfoScenario()) over and over for about two seconds, trace.packets
 *    counted. The scenario (and so its parsed rules) is built once, outside the timing.
 *
 *   node dist/bench/engine.js --first-packet FILE --reps N --service I
 *   node dist/bench/engine.js --throughput SECONDS
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rulesEvaluated } from '../trace/rules-evaluated.js';
import { childOptions, median } from './measure.js';
import { curlTo, nodeHost } from './node-host.js';

export interface FirstPacketFigures {
  /** Median of the timed repetitions, warm compile cache, in ms. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly p90Ms: number;
  /** The very first packet: ruleset compile included. */
  readonly coldMs: number;
  readonly reps: number;
  readonly warmup: number;
  /** Trace steps of the one packet (one per rule evaluated, plus hooks, routing...). */
  readonly steps: number;
  readonly rulesEvaluated: number;
  readonly fate: string;
  /** The ClusterIP the SYN was sent to. */
  readonly destination: string;
  /** Where it was going when it left: the pod DNAT chose (the ClusterIP if DNAT never ran). */
  readonly dnatTo: string;
  readonly parseMs: number;
  readonly maxRssKB: number;
  /** simulate() with no traffic, fresh compiler each time, median in ms: the fixed cost. */
  readonly fixedMs: number;
  /** The warm first packet's time per rule it evaluated, in µs (the scan included). */
  readonly perRuleUs: number;
}

export interface ThroughputFigures {
  readonly packetsPerSecond: number;
  readonly packets: number;
  readonly simulations: number;
  readonly seconds: number;
  readonly stepsPerSimulation: number;
  /** One simulate(), median, in ms. */
  readonly simulateMedianMs: number;
  readonly maxRssKB: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);

function child<T>(args: readonly string[]): T {
  const r = spawnSync(process.execPath, [THIS_FILE, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) {
    throw new Error(`engine child failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}

/** The ClusterIP kube-proxy.ts gives service `index` (0-based). */
export function clusterIp(index: number): string {
  const n = index + 1;
  return `10.96.${(n >> 8) & 255}.${n & 255}`;
}

export function measureFirstPacket(file: string, reps: number, service: number) {
  return child<FirstPacketFigures>([
    '--first-packet',
    file,
    '--reps',
    String(reps),
    '--service',
    String(service),
  ]);
}

export function measureThroughput(seconds: number) {
  return child<ThroughputFigures>(['--throughput', String(seconds)]);
}

async function firstPacketChild(file: string, reps: number, service: number): Promise<void> {
  const [
    { parseRules },
    { RulesetCompiler },
    { makeHost },
    { Stack },
    { TraceRecorder },
    { Connections },
    { simulate },
  ] = await Promise.all([
    import('../rules/index.js'),
    import('../netfilter/engine/compile.js'),
    import('../netfilter/engine/host.js'),
    import('../netfilter/engine/stack.js'),
    import('../netfilter/engine/recorder.js'),
    import('../world/connections.js'),
    import('../world/simulate.js'),
  ]);
  const text = readFileSync(file, 'utf8');
  const t0 = performance.now();
  const parsed = parseRules(text, { file });
  const parseMs = performance.now() - t0;
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the dump has ${errors.length} parse errors`);
  const settings = { seed: 1, unknownMatch: 'stop', loopLimit: 3 } as const;
  const config = nodeHost({ rulesets: parsed.rulesets });
  const destination = clusterIp(service);
  const item = curlTo(destination);
  // One repetition: everything stateful is new; only the compiled rulesets survive, as in a UI
  // that simulates again after an edit.
  const compiler = new RulesetCompiler();
  const once = () => {
    const host = makeHost(config, compiler);
    const hosts = new Map([[host.name, host]]);
    const rec = new TraceRecorder('first packet');
    const stack = new Stack(hosts, rec, settings);
    const connections = new Connections(hosts, stack, rec, settings);
    const start = performance.now();
    connections.run(item, 0);
    const ms = performance.now() - start;
    return { ms, rec };
  };
  const cold = once();
  const warmup = Math.max(20, Math.min(200, reps * 4));
  for (let i = 0; i < warmup; i++) once();
  const times: number[] = [];
  let last = cold.rec;
  for (let i = 0; i < reps; i++) {
    const r = once();
    times.push(r.ms);
    last = r.rec;
  }
  // The fixed cost: everything simulate() does before a packet moves, a fresh compiler each time
  // (as `nfdb run` has), the baseline read as `run --json` would.
  const world = { name: 'node', hosts: [config], settings };
  const fixed: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    simulate({ world, traffic: [] }, new RulesetCompiler());
    fixed.push(performance.now() - start);
  }
  const trace = last.finish(['node'], []);
  const packet = trace.packets[0];
  if (trace.packets.length !== 1 || !packet) throw new Error('expected exactly one packet');
  // Where the SYN went in the end: the pod the KUBE-SEP chain's DNAT chose.
  const final = trace.steps[trace.steps.length - 1]?.packet;
  const sorted = [...times].sort((a, b) => a - b);
  const figures: FirstPacketFigures = {
    medianMs: median(times),
    minMs: sorted[0] ?? Number.NaN,
    p90Ms: sorted[Math.floor(sorted.length * 0.9)] ?? Number.NaN,
    coldMs: cold.ms,
    reps,
    warmup,
    steps: trace.steps.length,
    rulesEvaluated: rulesEvaluated(trace),
    fate: packet.fate,
    destination: `${destination}:80`,
    dnatTo: final ? `${final.dst}:${final.dport}` : 'none',
    parseMs,
    maxRssKB: process.resourceUsage().maxRSS,
    fixedMs: median(fixed),
    perRuleUs: 0,
  };
  const perRuleUs = (figures.medianMs * 1000) / Math.max(1, figures.rulesEvaluated);
  process.stdout.write(`${JSON.stringify({ ...figures, perRuleUs })}\n`);
}

async function throughputChild(seconds: number): Promise<void> {
  const [{ simulate }, { bookinfoScenario }, { RulesetCompiler }] = await Promise.all([
    import('../world/simulate.js'),
    import('../world/scenarios/bookinfo.js'),
    import('../netfilter/engine/compile.js'),
  ]);
  const scenario = bookinfoScenario();
  const compiler = new RulesetCompiler();
  // Warm-up: compile the rulesets, let the JIT settle.
  const warmEnd = performance.now() + Math.min(500, seconds * 250);
  while (performance.now() < warmEnd) simulate(scenario, compiler);
  let packets = 0;
  let simulations = 0;
  let steps = 0;
  const times: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    const t = performance.now();
    const trace = simulate(scenario, compiler);
    now = performance.now();
    times.push(now - t);
    packets += trace.packets.length;
    steps = trace.steps.length;
    simulations++;
  }
  const elapsed = (now - start) / 1000;
  const figures: ThroughputFigures = {
    packetsPerSecond: packets / elapsed,
    packets,
    simulations,
    seconds: elapsed,
    stepsPerSimulation: steps,
    simulateMedianMs: median(times),
    maxRssKB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const option = childOptions(import.meta.url);
if (option) {
  const file = option('--first-packet');
  const seconds = option('--throughput');
  if (file) {
    await firstPacketChild(
      file,
      Number(option('--reps') ?? 50),
      Number(option('--service') ?? 9000),
    );
  } else if (seconds) {
    await throughputChild(Number(seconds));
  } else {
    process.stderr.write(
      'usage: node dist/bench/engine.js --first-packet FILE [--reps N] [--service I] | --throughput SECONDS\n',
    );
    process.exitCode = 2;
  }
}
