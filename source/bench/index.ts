/**
 * `npm run bench`: nfdb's performance figures on a 10,000-service kube-proxy dump, each next to
 * the real tool doing the same work (the anchor) and to its target.
 *
 *   node dist/bench/index.js [--json] [--reps N] [--services N] [--endpoints N] [--keep] [--huge]
 *
 * --huge adds a node of ten times the bench's services (100k: 2.3M lines, 250 MB), loaded and
 * simulated once: a few minutes more.
 *
 * A figure is one entry in MEASUREMENTS: add new ones there.
 */

import { unlinkSync } from 'node:fs';
import { measureFirstPacket, measureThroughput } from './engine.js';
import { DEFAULT_SHAPE, type KubeProxyShape, writeKubeProxyDump } from './kube-proxy.js';
import {
  type Anchor,
  measureAnchor,
  measureParse,
  type ParseFigures,
  type ParseSample,
  parseFigures,
  parseOnce,
} from './measure.js';
import { measureNft } from './nft.js';
import { hugeNode, parseCurve } from './parse-curve.js';
import { parseFloor } from './parse-floor.js';
import { binarySizeMB, measureCommandStart, measureStartup } from './startup.js';
import { traceMemory } from './trace-memory.js';
import { measureStepRender } from './tui.js';
import { uiAtScale } from './ui-scale.js';

export type Verdict = 'PASS' | 'MISS' | 'n/a' | 'info' | 'not measured yet';

/** One row of the table. Numbers are kept for --json; the strings are what the table shows. */
export interface Figure {
  readonly figure: string;
  readonly unit?: string;
  readonly nfdb?: number;
  readonly anchor?: number;
  readonly target: string;
  readonly verdict: Verdict;
  readonly note?: string;
}

export interface BenchContext {
  readonly input: { readonly file: string; readonly lines: number; readonly bytes: number };
  readonly shape: KubeProxyShape;
  readonly reps: number;
  /** --huge: measure a node of ten times the services too. */
  readonly huge?: boolean;
  /** nfdb's parse of the input, measured once and shared by the figures that need it. */
  parse(): ParseFigures;
  /** The real iptables-legacy-restore --test on the input, measured once. */
  anchor(): Promise<Anchor>;
}

export interface Measurement {
  readonly name: string;
  run(ctx: BenchContext): Figure[] | Promise<Figure[]>;
}

const MB = 1024;

const services = (ctx: BenchContext): string =>
  ctx.shape.services % 1000 === 0
    ? `${ctx.shape.services / 1000}k-service`
    : `${ctx.shape.services}-service`;

export const MEASUREMENTS: readonly Measurement[] = [
  {
    name: 'parse',
    async run(ctx) {
      const anchor = await ctx.anchor();
      const nfdb = ctx.parse();
      const a = anchor.available ? anchor.figures : undefined;
      const limit = a ? a.medianMs / 2 : undefined;
      const parsed = `${nfdb.rules} rules in ${nfdb.chains} chains, ${nfdb.errors} errors`;
      return [
        {
          figure: `parse: ${services(ctx)} kube-proxy dump (parseRules only)`,
          unit: 'ms',
          nfdb: nfdb.parseMs,
          anchor: a?.medianMs,
          target: limit !== undefined ? `≤ ½ anchor (${limit.toFixed(0)} ms)` : '≤ ½ anchor',
          verdict:
            nfdb.errors > 0
              ? 'MISS'
              : limit === undefined
                ? 'n/a'
                : nfdb.parseMs <= limit
                  ? 'PASS'
                  : 'MISS',
          note: parsed,
        },
        {
          figure: 'parse: whole process (node start, read file, parse)',
          unit: 'ms',
          nfdb: nfdb.processMs,
          anchor: a?.medianMs,
          target: '(for information)',
          verdict: 'info',
        },
        {
          figure: 'parse: peak memory (maxRSS)',
          unit: 'MB',
          nfdb: nfdb.maxRssKB / MB,
          anchor: a?.maxRssKB !== undefined ? a.maxRssKB / MB : undefined,
          target: '< 200 MB',
          verdict: nfdb.maxRssKB / MB < 200 ? 'PASS' : 'MISS',
        },
      ];
    },
  },
  parseCurve,
  parseFloor,
  hugeNode,
  {
    name: 'engine: first packet',
    run(ctx) {
      // Service #9000 of 10,000: its ClusterIP rule sits 90% of the way down KUBE-SERVICES.
      const service = Math.floor(ctx.shape.services * 0.9);
      const reps = Math.max(100, ctx.reps * 20);
      const f = measureFirstPacket(ctx.input.file, reps, service);
      const dnatDone = f.dnatTo !== f.destination;
      return [
        {
          figure: `engine: first packet through ${services(ctx)} dump`,
          unit: 'ms',
          nfdb: f.medianMs,
          target: '< 2 ms',
          verdict: dnatDone && f.medianMs < 2 ? 'PASS' : 'MISS',
          note:
            `SYN to ${f.destination} (service #${service}) through OUTPUT and POSTROUTING: ` +
            `${f.rulesEvaluated} rules evaluated, ${f.steps} steps, DNAT to ${f.dnatTo}` +
            `${dnatDone ? '' : ' (DNAT NOT REACHED)'}, fate ${f.fate}; median of ${f.reps} ` +
            `after ${f.warmup} warm-up, each with a fresh host (conntrack, sockets) and trace, ` +
            `compiled-ruleset cache warm; min ${f.minMs.toFixed(2)} ms, p90 ${f.p90Ms.toFixed(2)} ms; ` +
            `dump parsed once beforehand in ${f.parseMs.toFixed(0)} ms, not timed`,
        },
        {
          figure: `simulate: fixed cost before the first packet, ${services(ctx)} dump`,
          unit: 'ms',
          nfdb: f.fixedMs,
          target: '< 50 ms',
          verdict: f.fixedMs < 50 ? 'PASS' : 'MISS',
          note: 'simulate() with no traffic and a fresh compiler (as nfdb run has), median of 20; after the parse',
        },
        {
          figure: 'engine: a rule evaluated and recorded (first packet ÷ rules)',
          unit: 'µs',
          nfdb: f.perRuleUs,
          target: '< 0.3 µs',
          verdict: f.perRuleUs < 0.3 ? 'PASS' : 'MISS',
          note: `the warm first packet's median over its ${f.rulesEvaluated} rules, scan included; the kernel takes 5–7 ns (legacy), 17–29 ns (nft)`,
        },
        {
          figure: 'engine: first packet, cold (ruleset compile included)',
          unit: 'ms',
          nfdb: f.coldMs,
          target: '(for information)',
          verdict: 'info',
        },
      ];
    },
  },
  {
    name: 'engine: packets/s',
    run() {
      const t = measureThroughput(2);
      return [
        {
          figure: 'engine: packets/s default scenario',
          unit: '/s',
          nfdb: t.packetsPerSecond,
          target: '> 20000/s',
          verdict: t.packetsPerSecond > 20_000 ? 'PASS' : 'MISS',
          note:
            `simulate(bookinfoScenario()) ${t.simulations} times in ${t.seconds.toFixed(1)} s, ` +
            `${t.packets} packets (${t.packets / t.simulations} and ${t.stepsPerSimulation} steps ` +
            `a run; one run ${t.simulateMedianMs.toFixed(2)} ms median); scenario built once, not timed`,
        },
        {
          figure: 'engine: peak memory, default scenario (maxRSS)',
          unit: 'MB',
          nfdb: t.maxRssKB / MB,
          target: '(for information)',
          verdict: 'info',
        },
      ];
    },
  },
  traceMemory,
  {
    name: 'nft: kube-proxy nftables mode',
    run(ctx) {
      const f = measureNft(ctx.shape, ctx.reps);
      const limit = f.anchorMs === undefined ? undefined : f.anchorMs / 2;
      return [
        {
          figure: `nft: parse ${services(ctx)} kube-proxy nftables script`,
          unit: 'ms',
          nfdb: f.parseMs,
          anchor: f.anchorMs,
          target: limit === undefined ? '≤ ½ nft -c -f' : `≤ ½ nft -c -f (${limit.toFixed(0)} ms)`,
          verdict:
            f.errors > 0
              ? 'MISS'
              : limit === undefined
                ? 'n/a'
                : f.parseMs <= limit
                  ? 'PASS'
                  : 'MISS',
          note: `${f.lines} lines, ${f.rules} rules, ${f.errors} errors; anchor: unshare -n nft -c -f${f.anchorNote ? ` (${f.anchorNote})` : ''}`,
        },
        {
          figure: `nft: first packet through ${services(ctx)} nftables ruleset`,
          unit: 'ms',
          nfdb: f.firstPacketMs,
          target: '< 2 ms',
          verdict: f.dnatTo !== f.destination && f.firstPacketMs < 2 ? 'PASS' : 'MISS',
          note: `SYN to ${f.destination}: ${f.rulesEvaluated} rules evaluated (service-ips is one lookup), DNAT to ${f.dnatTo}; median, warm`,
        },
      ];
    },
  },
  {
    name: 'TUI: step render',
    run(ctx) {
      // Ink renders the App into a test stdout (ink-testing-library); from key to new frame.
      const rows: Figure[] = [];
      for (const dump of [undefined, ctx.input.file]) {
        const f = measureStepRender(dump, 200);
        rows.push({
          figure: `TUI: step render, ${f.scenario}`,
          unit: 'ms',
          nfdb: f.medianMs,
          target: '< 16 ms',
          verdict: f.medianMs < 16 ? 'PASS' : 'MISS',
          note: `median of ${f.steps} steps (p90 ${f.p90Ms.toFixed(1)} ms) in a ${f.traceSteps}-step trace; peak ${(f.maxRssKB / MB).toFixed(0)} MB`,
        });
      }
      return rows;
    },
  },
  uiAtScale,
  {
    name: 'start-up: each command loads what it needs',
    run(ctx) {
      const f = measureCommandStart(Math.max(10, ctx.reps * 2));
      const row = (what: string, ms: number): Figure => ({
        figure: `start-up: ${what}, spawn to exit (Node)`,
        unit: 'ms',
        nfdb: ms,
        anchor: f.nodeMs,
        target: '< 150 ms',
        verdict: ms < 150 ? 'PASS' : 'MISS',
        note: `anchor: node -e 0 (${f.nodeMs.toFixed(0)} ms), in turns with nfdb's; median of ${Math.max(10, ctx.reps * 2)}`,
      });
      return [
        row('nfdb --help', f.helpMs),
        row('nfdb --version', f.versionMs),
        row('nfdb check of a 4-rule file', f.checkMs),
      ];
    },
  },
  {
    name: 'start-up: Node build and single binary',
    run(ctx) {
      const reps = Math.max(10, ctx.reps * 2);
      const size = binarySizeMB();
      const rows: Figure[] = [
        {
          figure: 'single binary: size of build/out/nfdb',
          unit: 'MB',
          nfdb: size,
          target: '(for information)',
          verdict: size === undefined ? 'n/a' : 'info',
          note:
            size === undefined
              ? 'no build/out/nfdb: npm run compile'
              : 'Bun 1.4.4 runtime included',
        },
      ];
      for (const f of measureStartup(reps)) {
        rows.push(
          {
            figure: `start-up: nfdb run, default scenario, spawn to exit (${f.name})`,
            unit: 'ms',
            nfdb: f.runMs,
            target: '< 100 ms',
            verdict: f.runMs < 100 ? 'PASS' : 'MISS',
            note: `median of ${reps}, the two builds in turns, output read through a pipe`,
          },
          {
            figure: `start-up: UI's first frame, default scenario (${f.name})`,
            unit: 'ms',
            nfdb: f.frameMs,
            target: '< 200 ms',
            verdict: f.frameMs === undefined ? 'n/a' : f.frameMs < 200 ? 'PASS' : 'MISS',
            note:
              f.frameMs === undefined
                ? 'needs python3 for a pseudo-terminal'
                : `median of ${reps}, spawn to the title in a 120x40 pty`,
          },
        );
      }
      return rows;
    },
  },
];

interface Options {
  readonly json: boolean;
  readonly keep: boolean;
  readonly huge: boolean;
  readonly reps: number;
  readonly shape: KubeProxyShape;
}

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let keep = false;
  let huge = false;
  let reps = 5;
  let { services, endpointsPerService } = DEFAULT_SHAPE;
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--keep') keep = true;
    else if (arg === '--huge') huge = true;
    else if (arg === '--reps') reps = positive(arg, argv[++i]);
    else if (arg === '--services') services = positive(arg, argv[++i]);
    else if (arg === '--endpoints') endpointsPerService = positive(arg, argv[++i]);
    else throw new Error(`unknown option ${arg}`);
  }
  return { json, keep, huge, reps, shape: { services, endpointsPerService } };
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

function show(value: number | undefined, unit: string | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const digits = value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function table(figures: readonly Figure[]): string {
  const header = ['figure', 'nfdb', 'anchor', 'target', 'PASS/MISS'];
  const rows = figures.map((f) => [
    f.figure,
    f.verdict === 'not measured yet' ? '' : show(f.nfdb, f.unit),
    f.verdict === 'not measured yet' ? '' : show(f.anchor, f.unit),
    f.target,
    f.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (text: string) => {
    if (!options.json) process.stdout.write(`${text}\n`);
  };
  const started = performance.now();
  const input = writeKubeProxyDump(options.shape);
  log(
    `input: kube-proxy dump, ${options.shape.services} services × ${options.shape.endpointsPerService} endpoints, ` +
      `${input.lines} lines, ${(input.bytes / 1e6).toFixed(1)} MB (${input.file})`,
  );
  log(
    `median of ${options.reps} runs, each in a fresh process; nfdb's parse runs alternate with the anchor's`,
  );
  // nfdb's parse runs alternate with the anchor's, so that a shared machine's changing load
  // falls on both alike; without the anchor, nfdb's runs are made on their own.
  const paired: ParseSample[] = [];
  let anchorPromise: Promise<Anchor> | undefined;
  const ctx: BenchContext = {
    input,
    shape: options.shape,
    reps: options.reps,
    huge: options.huge,
    parse: once(() =>
      paired.length === options.reps
        ? parseFigures(paired)
        : measureParse(input.file, options.reps),
    ),
    anchor: () => {
      anchorPromise ??= measureAnchor(input.file, options.reps, () =>
        paired.push(parseOnce(input.file)),
      );
      return anchorPromise;
    },
  };
  const figures: Figure[] = [];
  try {
    for (const m of MEASUREMENTS) figures.push(...(await m.run(ctx)));
  } finally {
    if (!options.keep) unlinkSync(input.file);
  }
  const anchor = await ctx.anchor();
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          input: { ...input, ...options.shape },
          reps: options.reps,
          anchor: anchor.available
            ? { available: true, ...anchor.figures }
            : { available: false, why: anchor.why },
          nfdbParse: ctx.parse(),
          figures,
          seconds,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (anchor.available) {
    const a = anchor.figures;
    log(
      `anchor: ${a.tool} in a throwaway network namespace ` +
        `(ip netns exec start-up of ${a.overheadMs.toFixed(1)} ms taken off)`,
    );
  } else {
    log(`anchor not available: ${anchor.why}`);
  }
  log('');
  log(table(figures));
  const notes = figures.filter((f) => f.note);
  if (notes.length > 0) log('');
  for (const f of notes) log(`${f.figure}: ${f.note}`);
  log(`\nbench took ${seconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
