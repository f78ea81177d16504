/**
 * `nfdb check` as a user runs it (the whole command: start-up, read, parse, validate, summary)
 * on kube-proxy dumps of a tenth, one and four times the bench's size (1k, 10k and 40k services
 * by default), with the Node build and the single binary, beside the two real tools that load
 * the same file: `iptables-legacy-restore --test` and `iptables-nft-restore --test`, each in a
 * throwaway network namespace. The four run in turns at each size, so that a shared machine's
 * load falls on all of them alike; the load is reported with the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, unlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { BenchContext, Figure, Measurement } from './index.js';
import { type KubeProxyShape, serviceOf, writeKubeProxyDump } from './kube-proxy.js';
import { median } from './measure.js';
import { launchers } from './startup.js';

const TIME = '/usr/bin/time';

/** One timed run: wall ms and peak RSS in KB (NaN without /usr/bin/time). */
interface Timed {
  readonly ms: number;
  readonly rssKB: number;
}

/** A program that loads the file: an nfdb build, or a real tool run in a namespace. */
interface Loader {
  readonly name: string;
  readonly kind: 'nfdb' | 'anchor';
  run(file: string): Timed;
}

function timed(argv: readonly string[], what: string): Timed {
  const hasTime = existsSync(TIME);
  const [file, ...args] = (hasTime ? [TIME, '-f', '%M', ...argv] : argv) as [string, ...string[]];
  const start = performance.now();
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (r.status !== 0) {
    const why = (r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' / ');
    throw new Error(`${what} failed (status ${r.status}): ${why}`);
  }
  const rssKB = hasTime ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) : Number.NaN;
  return { ms, rssKB };
}

function nfdbLoaders(): Loader[] {
  return launchers().map((l) => ({
    name: `nfdb check (${l.name})`,
    kind: 'nfdb' as const,
    run: (file: string) => timed([...l.argv, 'check', file], `${l.name} nfdb check`),
  }));
}

/** The real tools in namespace `ns` (ip netns exec), its own start-up taken off each run. */
function anchorLoaders(ns: string): Loader[] {
  const exec = ['ip', 'netns', 'exec', ns];
  const floor = median([0, 1, 2].map(() => timed([...exec, 'true'], 'ip netns exec').ms));
  const tools = ['iptables-legacy-restore', 'iptables-nft-restore'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );
  return tools.map((tool) => ({
    name: `${tool} --test`,
    kind: 'anchor' as const,
    run: (file: string) => {
      const t = timed([...exec, tool, '--test', file], tool);
      return { ms: t.ms - floor, rssKB: t.rssKB };
    },
  }));
}

/** A namespace for the anchors, or why there is none (they need root and iproute2). */
async function withNamespace<T>(work: (ns: string | undefined, why?: string) => T): Promise<T> {
  const netns = (await import('../io/netns.js')) as typeof import('../io/netns.js');
  const missing = netns.kernelToolsMissing();
  if (missing) return work(undefined, missing);
  return netns.Netns.with((ns) => work(ns.name), 'nfdb-curve');
}

export interface CurvePoint {
  readonly services: number;
  readonly lines: number;
  readonly bytes: number;
  readonly reps: number;
  /** Median ms and RSS by loader name. */
  readonly by: ReadonlyMap<string, { readonly ms: number; readonly rssKB: number }>;
  /** The 1-minute load average before and after this size's runs. */
  readonly load: readonly [number, number];
}

/** The sizes of the curve: a tenth, one and four times the bench's dump. */
export function curveSizes(shape: KubeProxyShape): KubeProxyShape[] {
  const s = shape.services;
  return [Math.max(1, Math.round(s / 10)), s, s * 4].map((services) => ({ ...shape, services }));
}

/** Repetitions at a size: the 40k anchors take a minute and more a run. */
function repsAt(services: number, base: number, reps: number): number {
  return services > base ? 1 : reps;
}

export async function measureCurve(ctx: BenchContext): Promise<{
  readonly points: CurvePoint[];
  readonly loaders: readonly Loader[];
  readonly why?: string;
}> {
  return withNamespace(async (ns, why) => {
    const loaders = [...nfdbLoaders(), ...(ns ? anchorLoaders(ns) : [])];
    const points: CurvePoint[] = [];
    for (const shape of curveSizes(ctx.shape)) {
      const own = shape.services === ctx.shape.services;
      const input = own ? ctx.input : writeKubeProxyDump(shape);
      try {
        const reps = repsAt(shape.services, ctx.shape.services, ctx.reps);
        const runs = new Map(loaders.map((l) => [l.name, [] as Timed[]]));
        const before = loadavg()[0] ?? 0;
        // One warm-up of each nfdb build: the first start after a build reads it from disk.
        for (const l of loaders) if (l.kind === 'nfdb') l.run(input.file);
        for (let i = 0; i < reps; i++)
          for (const l of loaders) runs.get(l.name)?.push(l.run(input.file));
        const by = new Map(
          [...runs].map(([name, list]) => [
            name,
            { ms: median(list.map((t) => t.ms)), rssKB: median(list.map((t) => t.rssKB)) },
          ]),
        );
        points.push({ ...shape, ...input, reps, by, load: [before, loadavg()[0] ?? 0] });
      } finally {
        if (!own) unlinkSync(input.file);
      }
    }
    return { points, loaders, why };
  });
}

const LEGACY = 'iptables-legacy-restore --test';
const NFT = 'iptables-nft-restore --test';

/** `10k-service`, or the count as it is when not whole thousands. */
export function label(services: number): string {
  return services % 1000 === 0 ? `${services / 1000}k-service` : `${services}-service`;
}

/** The target at a size: ≤ the tool at the small one, ≤ ½ at the bench's, linear above. */
function verdictAt(
  point: CurvePoint,
  base: number,
  ms: number,
  anchor: number | undefined,
  atBase: number | undefined,
): { target: string; verdict: Figure['verdict'] } {
  if (point.services < base) {
    if (anchor === undefined) return { target: '≤ anchor', verdict: 'n/a' };
    return { target: '≤ anchor', verdict: ms <= anchor ? 'PASS' : 'MISS' };
  }
  if (point.services === base) {
    if (anchor === undefined) return { target: '≤ ½ anchor', verdict: 'n/a' };
    const limit = anchor / 2;
    return {
      target: `≤ ½ anchor (${limit.toFixed(0)} ms)`,
      verdict: ms <= limit ? 'PASS' : 'MISS',
    };
  }
  // Linear: the time grows no faster than the lines (a tenth more for noise).
  if (atBase === undefined) return { target: 'linear', verdict: 'n/a' };
  const limit = (atBase * point.services * 1.1) / base;
  return {
    target: `linear: ≤ ${limit.toFixed(0)} ms`,
    verdict: ms <= limit ? 'PASS' : 'MISS',
  };
}

export function curveFigures(
  points: readonly CurvePoint[],
  loaders: readonly Loader[],
  base: number,
  why?: string,
): Figure[] {
  const rows: Figure[] = [];
  const basePoint = points.find((p) => p.services === base);
  for (const point of points) {
    const anchor = point.by.get(LEGACY)?.ms;
    const size = `${label(point.services)} dump (${point.lines.toLocaleString('en-US')} lines, ${(point.bytes / 1e6).toFixed(0)} MB)`;
    const load = `load ${point.load[0].toFixed(1)}–${point.load[1].toFixed(1)}, median of ${point.reps}`;
    for (const l of loaders) {
      const f = point.by.get(l.name);
      if (!f || l.kind !== 'nfdb') continue;
      const { target, verdict } = verdictAt(
        point,
        base,
        f.ms,
        anchor,
        basePoint?.by.get(l.name)?.ms,
      );
      rows.push({
        figure: `check: ${size}, ${l.name}`,
        unit: 'ms',
        nfdb: f.ms,
        anchor,
        target,
        verdict,
        note: `spawn to exit, as a user runs it; anchor ${LEGACY}${anchor === undefined ? ` not available: ${why ?? 'not installed'}` : ''}; ${load}; peak ${(f.rssKB / 1024).toFixed(0)} MB`,
      });
    }
    const nft = point.by.get(NFT);
    if (nft)
      rows.push({
        figure: `anchor: ${size}, ${NFT}`,
        unit: 'ms',
        anchor: nft.ms,
        target: '(the other anchor)',
        verdict: 'info',
        note: `in a throwaway network namespace; ${load}; peak ${(nft.rssKB / 1024).toFixed(0)} MB`,
      });
  }
  if (basePoint) {
    for (const l of loaders) {
      const f = basePoint.by.get(l.name);
      if (!f || l.kind !== 'nfdb' || !Number.isFinite(f.rssKB)) continue;
      const mb = f.rssKB / 1024;
      const legacy = basePoint.by.get(LEGACY)?.rssKB;
      rows.push({
        figure: `check: peak memory (maxRSS), ${label(base)} dump, ${l.name}`,
        unit: 'MB',
        nfdb: mb,
        anchor: legacy === undefined ? undefined : legacy / 1024,
        target: '< 200 MB',
        verdict: mb < 200 ? 'PASS' : 'MISS',
        note: `the whole command; anchor ${LEGACY}`,
      });
    }
  }
  return rows;
}

export const parseCurve: Measurement = {
  name: 'check: the 1k / 10k / 40k curve beside both anchors',
  async run(ctx) {
    const { points, loaders, why } = await measureCurve(ctx);
    return curveFigures(points, loaders, ctx.shape.services, why);
  },
};

/**
 * `--huge`: a node of ten times the bench's services (100k: 2.3M lines, 250 MB), with the Node
 * build as a user runs it: `nfdb check`, then `nfdb run --rules` to a Service 90% of the way
 * down KUBE-SERVICES, each once (minutes). Either loads and simulates in the default heap or
 * says before it runs out that it does not fit, and what would make it (heap-fit.ts).
 */
export const hugeNode: Measurement = {
  name: 'check and run: a node of ten times the services',
  run(ctx) {
    if (!ctx.huge) return [];
    const node = launchers()[0];
    if (!node) return [];
    const shape = { ...ctx.shape, services: ctx.shape.services * 10 };
    const input = writeKubeProxyDump(shape);
    const size = `${label(shape.services)} dump (${input.lines.toLocaleString('en-US')} lines, ${(input.bytes / 1e6).toFixed(0)} MB)`;
    const row = (what: string, args: readonly string[]): Figure => {
      const load = loadavg()[0] ?? 0;
      try {
        const t = timed([...node.argv, ...args], `nfdb ${what}`);
        return {
          figure: `${what}: ${size} (Node, default heap)`,
          unit: 'ms',
          nfdb: t.ms,
          target: 'loads and simulates, or says it does not fit',
          verdict: 'PASS',
          note: `one run, load ${load.toFixed(1)}; peak ${(t.rssKB / 1024).toFixed(0)} MB`,
        };
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        // A refusal that names the remedy is the target met; a crash is not.
        const said = /too large to load|max-old-space-size/.test(why);
        return {
          figure: `${what}: ${size} (Node, default heap)`,
          target: 'loads and simulates, or says it does not fit',
          verdict: said ? 'PASS' : 'MISS',
          note: `${said ? 'refused' : 'failed'}: ${why.slice(0, 300)}`,
        };
      }
    };
    try {
      const to = `${serviceOf(Math.floor(shape.services * 0.9)).clusterIp}:80`;
      return [
        row('check', ['check', input.file]),
        row('run', ['run', '--rules', input.file, '--to', to]),
      ];
    } finally {
      unlinkSync(input.file);
    }
  },
};
