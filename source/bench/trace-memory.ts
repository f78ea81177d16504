/**
 * What large traces cost in memory, each measured in a child process of its own (so its peak RSS
 * is its own), with a kube-proxy node's rules parsed beforehand:
 *
 *  - 10 million rule evaluations: SYNs to the Service 90% of the way down KUBE-SERVICES of the
 *    bench's dump, as many connections as it takes (about 1,100 at 10k services). Target: it fits
 *    in memory (Node's default heap), with the trace's own size beside the process's peak.
 *  - 40,000 services × 100 connections, spread evenly down KUBE-SERVICES: target under 1.5 GB of
 *    peak RSS, parse included (the issue measured 3.8 GB before rule spans, with `run --json`).
 *
 * The trace's size is the heap it keeps: heap used after a full collection with the trace held,
 * less the same before simulate(). The child runs with --expose-gc for that.
 *
 *   node --expose-gc dist/bench/trace-memory.js --rules FILE --connections N | --evaluations N
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario, TrafficItem } from '../model/index.js';
import { rulesEvaluated } from '../trace/rules-evaluated.js';
import type { BenchContext, Figure, Measurement } from './index.js';
import { serviceOf, writeKubeProxyDump } from './kube-proxy.js';
import { childOptions } from './measure.js';
import { curlTo, nodeHost } from './node-host.js';

export interface TraceMemoryFigures {
  readonly services: number;
  readonly connections: number;
  readonly steps: number;
  readonly rulesEvaluated: number;
  readonly parseMs: number;
  readonly simulateMs: number;
  /** The heap the rules keep, after a full collection. */
  readonly rulesetMB: number;
  /** The heap the trace keeps beside them. */
  readonly traceMB: number;
  readonly maxRssMB: number;
  /** The child from spawn to exit, in seconds. */
  readonly seconds: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

type Request = { readonly connections: number } | { readonly evaluations: number };

/** Measures a trace over the dump in `file` in a fresh process. */
export function measureTraceMemory(file: string, request: Request): TraceMemoryFigures {
  const how =
    'connections' in request
      ? ['--connections', String(request.connections)]
      : ['--evaluations', String(request.evaluations)];
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', THIS_FILE, '--rules', file, ...how], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0)
    throw new Error(`trace memory child failed (status ${r.status}): ${r.stderr || r.error}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { ...JSON.parse(line), seconds: (performance.now() - start) / 1000 };
}

const heapMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / MB;
};

async function child(file: string, request: Request): Promise<void> {
  const [{ parseRules }, { simulate }] = await Promise.all([
    import('../rules/index.js'),
    import('../world/simulate.js'),
  ]);
  const before = heapMB();
  const t0 = performance.now();
  const parsed = parseRules(readFileSync(file, 'utf8'), { file });
  const parseMs = performance.now() - t0;
  if (parsed.diagnostics.some((d) => d.severity === 'error'))
    throw new Error('the dump has parse errors');
  const services = parsed.rulesets
    .flatMap((r) => r.tables)
    .flatMap((t) => t.chains)
    .filter((c) => c.name.startsWith('KUBE-SVC-')).length;
  const world = {
    name: 'node',
    hosts: [nodeHost({ rulesets: parsed.rulesets })],
    settings: { seed: 1, unknownMatch: 'stop', loopLimit: 3 },
  } as Scenario['world'];
  const far = Math.floor(services * 0.9);
  let traffic: TrafficItem[];
  if ('connections' in request) {
    const n = request.connections;
    traffic = Array.from({ length: n }, (_, i) =>
      curlTo(serviceOf(Math.floor(((i + 0.5) * services) / n)).clusterIp),
    );
  } else {
    // One connection first, to learn how many rules each evaluates.
    const one = rulesEvaluated(simulate({ world, traffic: [curlTo(serviceOf(far).clusterIp)] }));
    traffic = Array.from({ length: Math.ceil(request.evaluations / one) }, () =>
      curlTo(serviceOf(far).clusterIp),
    );
  }
  const rulesetMB = heapMB() - before;
  const t1 = performance.now();
  const trace = simulate({ world, traffic });
  const simulateMs = performance.now() - t1;
  const traceMB = heapMB() - before - rulesetMB;
  const figures: Omit<TraceMemoryFigures, 'seconds'> = {
    services,
    connections: traffic.length,
    steps: trace.steps.length,
    rulesEvaluated: rulesEvaluated(trace),
    parseMs,
    simulateMs,
    rulesetMB,
    traceMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const GB = 1024;

function millions(n: number): string {
  return `${(n / 1e6).toFixed(2)} million`;
}

function described(f: TraceMemoryFigures): string {
  return (
    `${f.connections} connections, ${millions(f.rulesEvaluated)} rule evaluations, ` +
    `${f.steps.toLocaleString('en-US')} steps; trace ${f.traceMB.toFixed(0)} MB of heap, ` +
    `rules ${f.rulesetMB.toFixed(0)} MB; parse ${(f.parseMs / 1000).toFixed(1)} s, ` +
    `simulate ${(f.simulateMs / 1000).toFixed(1)} s; ${f.seconds.toFixed(0)} s in all`
  );
}

export const traceMemory: Measurement = {
  name: 'simulate: large traces in memory',
  run(ctx: BenchContext): Figure[] {
    const ten = measureTraceMemory(ctx.input.file, { evaluations: 10_000_000 });
    const rows: Figure[] = [
      {
        figure: `simulate: a trace of 10 million rule evaluations, ${ctx.shape.services}-service dump (peak RSS)`,
        unit: 'MB',
        nfdb: ten.maxRssMB,
        target: 'fits in memory',
        verdict: ten.rulesEvaluated >= 10_000_000 ? 'PASS' : 'MISS',
        note: `SYNs to service #${Math.floor(ten.services * 0.9)}: ${described(ten)}`,
      },
    ];
    const shape = { ...ctx.shape, services: 40_000 };
    const dump = writeKubeProxyDump(shape);
    try {
      const big = measureTraceMemory(dump.file, { connections: 100 });
      rows.push({
        figure: '40k services × 100 connections: parse + simulate (peak RSS)',
        unit: 'MB',
        nfdb: big.maxRssMB,
        target: '< 1.5 GB',
        verdict: big.maxRssMB < 1.5 * GB ? 'PASS' : 'MISS',
        note: `${dump.lines} lines; one SYN each to services spread evenly down KUBE-SERVICES: ${described(big)}`,
      });
    } finally {
      unlinkSync(dump.file);
    }
    return rows;
  },
};

const option = childOptions(import.meta.url);
if (option) {
  const file = option('--rules');
  const connections = option('--connections');
  const evaluations = option('--evaluations');
  if (file && (connections || evaluations)) {
    await child(
      file,
      connections ? { connections: Number(connections) } : { evaluations: Number(evaluations) },
    );
  } else {
    process.stderr.write(
      'usage: node --expose-gc dist/bench/trace-memory.js --rules FILE (--connections N | --evaluations N)\n',
    );
    process.exitCode = 2;
  }
}
