/**
 * The floor under issue 18's parse targets: nfdb's rule reader alone on the bench's dump, read
 * in pieces of about 1 MB, each piece parsed and dropped at once. No rule is kept, no load-time
 * check runs, no summary is made, and the 25 MB text is never held whole. `nfdb check` does all
 * of that and more, so no way of keeping the model (columns, streaming) takes `check` below these
 * figures with this rule reader: they say how far a new model alone could go.
 *
 * The parent cuts the dump into piece files first, each a table of its own with the chains its
 * lines append to declared (the dump declares them all at its top, where a piece cannot see
 * them; so the pieces hold about as many declarations as the dump, and a jump to a chain a piece
 * does not declare is left, as in any load, to the load-time checks the floor does not run). The
 * child then does nothing but read a piece and parse it: its peak memory is the runtime's and
 * the rule reader's. Measured in a child of each runtime nfdb ships on: Node, and Bun (the
 * single binary's), run from dist/ as the bench's other children are.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../model/index.js';
import { parseSaveText } from '../rules/save-format.js';
import type { Figure, Measurement } from './index.js';
import { writeKubeProxyDump } from './kube-proxy.js';
import type { AnchorFigures } from './measure.js';
import { childOptions, median } from './measure.js';
import { curveSizes, label } from './parse-curve.js';

const PIECE_CHARS = 1 << 20;
const THIS_FILE = fileURLToPath(import.meta.url);
const BUN = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url));

/** What a floor child reports, as one JSON line. */
export interface FloorSample {
  /** Time in the rule reader, the pieces' declarations included; reading them is not. */
  readonly parseMs: number;
  readonly pieces: number;
  readonly rules: number;
  readonly errors: number;
  readonly maxRssKB: number;
}

const BUILTIN = /^(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)$/;
const APPEND = /^-A (\S+)/;

/** Lines of one table as a table of its own: the chains they append to declared, its COMMIT. */
function asTable(table: string, lines: readonly string[]): string {
  const names = new Set<string>();
  for (const line of lines) {
    const m = APPEND.exec(line);
    if (m) names.add(m[1] as string);
  }
  const head = [...names].map((n) => (BUILTIN.test(n) ? `:${n} ACCEPT [0:0]` : `:${n} - [0:0]`));
  return `*${table}\n${head.join('\n')}\n${lines.join('\n')}\nCOMMIT\n`;
}

/** The dump's rule lines cut into piece files of about `chars` characters in `dir`, in order. */
export function writePieces(file: string, dir: string, chars = PIECE_CHARS): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  let table = 'filter';
  let piece: string[] = [];
  let size = 0;
  let count = 0;
  const flush = () => {
    if (piece.length > 0)
      writeFileSync(join(dir, String(count++).padStart(4, '0')), asTable(table, piece));
    piece = [];
    size = 0;
  };
  for (const line of lines) {
    if (line.startsWith('*')) {
      flush();
      table = line.slice(1);
    } else if (line.startsWith('-')) {
      piece.push(line);
      size += line.length + 1;
      if (size >= chars) flush();
    }
  }
  flush();
}

/** The child's work: each piece in `dir` read, parsed and dropped, in order. */
export function parsePieces(dir: string): FloorSample {
  let parseMs = 0;
  let rules = 0;
  let errors = 0;
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const piece = readFileSync(join(dir, name), 'utf8');
    const diagnostics: Diagnostic[] = [];
    const start = performance.now();
    const ruleset = parseSaveText(piece, { file: name, family: 'ipv4' }, diagnostics);
    parseMs += performance.now() - start;
    for (const t of ruleset?.tables ?? []) for (const c of t.chains) rules += c.rules.length;
    for (const d of diagnostics) if (d.severity === 'error') errors++;
  }
  return {
    parseMs,
    pieces: names.length,
    rules,
    errors,
    maxRssKB: process.resourceUsage().maxRSS,
  };
}

function runChild(runtime: string, dir: string): FloorSample {
  const r = spawnSync(runtime, [THIS_FILE, '--floor-child', dir], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`floor child failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as FloorSample;
}

/** One size's floor: the pieces of `file`, parsed by each runtime in turns. */
function measureSize(
  file: string,
  reps: number,
  runtimes: readonly (readonly [string, string])[],
): FloorSample[][] {
  const samples = runtimes.map(() => [] as FloorSample[]);
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-floor-'));
  try {
    writePieces(file, dir);
    for (let i = 0; i < reps; i++)
      runtimes.forEach(([, runtime], k) => {
        samples[k]?.push(runChild(runtime, dir));
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

function rows(
  size: { readonly services: number; readonly bytes: number },
  name: string,
  samples: readonly FloorSample[],
  anchor: AnchorFigures | undefined,
): Figure[] {
  const ms = median(samples.map((s) => s.parseMs));
  const mb = median(samples.map((s) => s.maxRssKB)) / 1024;
  const first = samples[0];
  const dump = `${label(size.services)} dump`;
  const note = `${first?.rules ?? 0} rules, ${first?.errors ?? 0} errors; median of ${samples.length}, the runtimes in turns; ${(size.bytes / 1e6).toFixed(1)} MB in ${first?.pieces ?? 0} pieces of about 1 MB${anchor ? '' : '; the anchor at this size is in the check rows above'}`;
  return [
    {
      figure: `parse floor: ${dump}, the rule reader alone, nothing kept (${name})`,
      unit: 'ms',
      nfdb: ms,
      anchor: anchor?.medianMs,
      target: '(for information: check cannot go below it)',
      verdict: 'info',
      note,
    },
    {
      figure: `parse floor: ${dump}, peak memory of the same (${name})`,
      unit: 'MB',
      nfdb: mb,
      anchor: anchor?.maxRssKB !== undefined ? anchor.maxRssKB / 1024 : undefined,
      target: '(for information)',
      verdict: 'info',
    },
  ];
}

export const parseFloor: Measurement = {
  name: 'parse floor',
  async run(ctx) {
    const anchor = await ctx.anchor();
    const runtimes: [string, string][] = [['Node', process.execPath]];
    if (existsSync(BUN)) runtimes.push(['Bun', BUN]);
    // The curve's small size, and the bench's own beside its anchor.
    const small = curveSizes(ctx.shape)[0] ?? ctx.shape;
    const smallDump = writeKubeProxyDump(small);
    const figures: Figure[] = [];
    try {
      const sizes = [
        { services: small.services, file: smallDump.file, bytes: smallDump.bytes },
        { services: ctx.shape.services, file: ctx.input.file, bytes: ctx.input.bytes },
      ];
      for (const size of sizes) {
        const samples = measureSize(size.file, ctx.reps, runtimes);
        const own = size.file === ctx.input.file && anchor.available ? anchor.figures : undefined;
        runtimes.forEach(([name], k) => {
          figures.push(...rows(size, name, samples[k] ?? [], own));
        });
      }
    } finally {
      unlinkSync(smallDump.file);
    }
    return figures;
  },
};

const option = childOptions(import.meta.url);
if (option) {
  const dir = option('--floor-child');
  if (dir) process.stdout.write(`${JSON.stringify(parsePieces(dir))}\n`);
  else {
    process.stderr.write('usage: node dist/bench/parse-floor.js --floor-child DIR\n');
    process.exitCode = 2;
  }
}
