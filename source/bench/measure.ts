/**
 * The measuring side of `npm run bench`: runs work in fresh child processes (so that each
 * repetition starts cold and its peak RSS is its own), takes medians, and times the real
 * iptables tools as the anchor. Run as a script with `--parse-child FILE`, this module is the
 * child that loads and parses one file.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What one parse child reports on stdout, as one JSON line. */
export interface ParseSample {
  /** performance.now() around parseRules only. */
  readonly parseMs: number;
  /** Reading the file into a string. */
  readonly readMs: number;
  /** Wall time of the whole child process, node start-up included, seen by the parent. */
  readonly processMs: number;
  /** process.resourceUsage().maxRSS of the child, in KB. */
  readonly maxRssKB: number;
  readonly rules: number;
  readonly chains: number;
  readonly errors: number;
}

export interface ParseFigures {
  readonly samples: readonly ParseSample[];
  readonly parseMs: number;
  readonly processMs: number;
  readonly maxRssKB: number;
  readonly rules: number;
  readonly chains: number;
  readonly errors: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);

export function parseOnce(file: string): ParseSample {
  const start = performance.now();
  const r = spawnSync(process.execPath, [THIS_FILE, '--parse-child', file], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const processMs = performance.now() - start;
  if (r.status !== 0) {
    throw new Error(`parse child failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const reported = JSON.parse(line) as Omit<ParseSample, 'processMs'>;
  return { ...reported, processMs };
}

/** nfdb's parse of `file`, `reps` times, each in a fresh node process. */
export function measureParse(file: string, reps: number): ParseFigures {
  const samples: ParseSample[] = [];
  for (let i = 0; i < reps; i++) samples.push(parseOnce(file));
  return parseFigures(samples);
}

export function parseFigures(samples: readonly ParseSample[]): ParseFigures {
  const first = samples[0];
  return {
    samples,
    parseMs: median(samples.map((s) => s.parseMs)),
    processMs: median(samples.map((s) => s.processMs)),
    maxRssKB: median(samples.map((s) => s.maxRssKB)),
    rules: first?.rules ?? 0,
    chains: first?.chains ?? 0,
    errors: first?.errors ?? 0,
  };
}

export interface AnchorFigures {
  readonly tool: string;
  readonly wallMs: readonly number[];
  /** Median wall time of the tool, the `ip netns exec` start-up (measured with `true`) taken off. */
  readonly medianMs: number;
  /** Median wall time of `ip netns exec NS true`, already taken off medianMs. */
  readonly overheadMs: number;
  /** Median peak RSS of the tool in KB, from /usr/bin/time -f %M; undefined without it. */
  readonly maxRssKB?: number;
}

export type Anchor =
  | { readonly available: true; readonly figures: AnchorFigures }
  | { readonly available: false; readonly why: string };

const TIME = '/usr/bin/time';

/**
 * `iptables-legacy-restore --test FILE` in a throwaway network namespace, `reps` times, with
 * `beforeEach` run before each time (the bench interleaves nfdb's own runs there). The
 * kernel modules come from the dist build (io/netns.js), loaded only here so that a missing
 * or unbuilt piece becomes "not available" and not a crash.
 */
export async function measureAnchor(
  file: string,
  reps: number,
  beforeEach: () => void = () => {},
): Promise<Anchor> {
  const tool = 'iptables-legacy-restore';
  try {
    const netns = (await import('../io/netns.js')) as typeof import('../io/netns.js');
    const missing = netns.kernelToolsMissing();
    if (missing) return { available: false, why: missing };
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0) return { available: false, why: `${tool} is not installed` };
    const hasTime = existsSync(TIME);
    return netns.Netns.with((ns) => {
      const timed = (command: string, args: readonly string[]) => {
        const argv = hasTime ? [TIME, ['-f', '%M', command, ...args]] : [command, args];
        const start = performance.now();
        const r = ns.exec(argv[0] as string, argv[1] as string[]);
        const ms = performance.now() - start;
        const rss = hasTime ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) : Number.NaN;
        return { r, ms, rss };
      };
      const overhead: number[] = [];
      for (let i = 0; i < reps; i++) overhead.push(timed('true', []).ms);
      const wall: number[] = [];
      const rss: number[] = [];
      for (let i = 0; i < reps; i++) {
        beforeEach();
        const { r, ms, rss: kb } = timed(tool, ['--test', file]);
        if (r.status !== 0) {
          const why = r.stderr.trim().split('\n').slice(0, 3).join(' / ');
          throw new AnchorUnavailable(`${tool} --test failed (status ${r.status}): ${why}`);
        }
        wall.push(ms);
        if (Number.isFinite(kb)) rss.push(kb);
      }
      const overheadMs = median(overhead);
      return {
        available: true as const,
        figures: {
          tool: `${tool} --test`,
          wallMs: wall,
          medianMs: median(wall) - overheadMs,
          overheadMs,
          maxRssKB: rss.length > 0 ? median(rss) : undefined,
        },
      };
    }, 'nfdb-bench');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { available: false, why };
  }
}

class AnchorUnavailable extends Error {}

/** The child: read, parse, report one JSON line. */
async function parseChild(file: string): Promise<void> {
  const { parseRules } = (await import('../rules/index.js')) as typeof import('../rules/index.js');
  const t0 = performance.now();
  const text = readFileSync(file, 'utf8');
  const t1 = performance.now();
  const result = parseRules(text, { file });
  const t2 = performance.now();
  let rules = 0;
  let chains = 0;
  for (const ruleset of result.rulesets) {
    for (const table of ruleset.tables) {
      for (const chain of table.chains) {
        chains++;
        rules += chain.rules.length;
      }
    }
  }
  const sample: Omit<ParseSample, 'processMs'> = {
    parseMs: t2 - t1,
    readMs: t1 - t0,
    maxRssKB: process.resourceUsage().maxRSS,
    rules,
    chains,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

/**
 * A bench module run as a child of its own (`node dist/bench/X.js --name value …`), so that its
 * peak memory is its own: its options, or undefined when `moduleUrl` is not the process's entry.
 */
export function childOptions(
  moduleUrl: string,
): ((name: string) => string | undefined) | undefined {
  const invokedAs = process.argv[1];
  if (!invokedAs || moduleUrl !== pathToFileURL(invokedAs).href) return undefined;
  const args = process.argv.slice(2);
  return (name) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
}

if (childOptions(import.meta.url)) {
  const [mode, file] = process.argv.slice(2);
  if (mode === '--parse-child' && file) {
    await parseChild(file);
  } else {
    process.stderr.write('usage: node dist/bench/measure.js --parse-child FILE\n');
    process.exitCode = 2;
  }
}
