/**
 * The floor under issue 18's parse targets: nfdb's rule reader alone on the bench's dump, read
 * in pieces of 1 MB, each piece parsed and dropped at once. No rule is kept, no load-time check
 * runs, no summary is made, and the 25 MB text is never held whole. `nfdb check` does all of that
 * and more, so no way of keeping the model (columns, streaming) takes `check` below these
 * figures with this rule reader: they say how far a new model alone could go.
 *
 * Each piece is read as its own table, with the chains its lines name declared first (the dump
 * declares them all at its top, where a piece cannot see them). Measured in a child of each
 * runtime nfdb ships on: Node, and Bun (the single binary's), run from dist/ as the bench's
 * other children are.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../model/index.js';
import { parseSaveText } from '../rules/save-format.js';
import type { BenchContext, Figure, Measurement } from './index.js';
import type { Anchor } from './measure.js';
import { childOptions, median } from './measure.js';

const PIECE_BYTES = 1 << 20;
const THIS_FILE = fileURLToPath(import.meta.url);
const BUN = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url));

/** What a floor child reports, as one JSON line. */
interface FloorSample {
  /** Time in the rule reader, the pieces' declarations included; reading the file is not. */
  readonly parseMs: number;
  readonly rules: number;
  readonly errors: number;
  readonly maxRssKB: number;
}

const BUILTIN = /^(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)$/;
const APPEND = /^-A (\S+)(?:.* -[jg] (\S+))?/gm;

/** A piece of whole lines as a table of its own: its chains declared, its own COMMIT. */
function asTable(table: string, lines: string, declared: ReadonlySet<string>): string {
  const names = new Set<string>();
  for (const m of lines.matchAll(APPEND)) {
    names.add(m[1] as string);
    if (m[2] !== undefined && declared.has(m[2])) names.add(m[2]);
  }
  const head = [...names].map((n) => (BUILTIN.test(n) ? `:${n} ACCEPT [0:0]` : `:${n} - [0:0]`));
  const body = lines
    .split('\n')
    .filter((l) => l.startsWith('-'))
    .join('\n');
  return `*${table}\n${head.join('\n')}\n${body}\nCOMMIT\n`;
}

function floorChild(file: string): FloorSample {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(PIECE_BYTES);
  const decoder = new StringDecoder('utf8');
  const declared = new Set<string>();
  let table = 'filter';
  let carry = '';
  let parseMs = 0;
  let rules = 0;
  let errors = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, PIECE_BYTES, null);
      if (n === 0) break;
      const text = carry + decoder.write(buffer.subarray(0, n));
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      const lines = text.slice(0, cut);
      for (const m of lines.matchAll(/^:(\S+)/gm)) declared.add(m[1] as string);
      // A piece where a table starts is read as two: the lines before it, and the rest.
      const diagnostics: Diagnostic[] = [];
      for (const section of lines.split(/^(?=\*)/m)) {
        if (section.startsWith('*')) table = /^\*(\S+)/.exec(section)?.[1] ?? table;
        const piece = asTable(table, section, declared);
        const start = performance.now();
        const ruleset = parseSaveText(piece, { file, family: 'ipv4' }, diagnostics);
        parseMs += performance.now() - start;
        for (const t of ruleset?.tables ?? []) for (const c of t.chains) rules += c.rules.length;
      }
      errors += diagnostics.filter((d) => d.severity === 'error').length;
    }
  } finally {
    closeSync(fd);
  }
  return { parseMs, rules, errors, maxRssKB: process.resourceUsage().maxRSS };
}

function runChild(runtime: string, file: string): FloorSample {
  const r = spawnSync(runtime, [THIS_FILE, '--floor-child', file], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`floor child failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as FloorSample;
}

function rows(
  name: string,
  samples: readonly FloorSample[],
  ctx: BenchContext,
  anchor: Anchor,
): Figure[] {
  const a = anchor.available ? anchor.figures : undefined;
  const ms = median(samples.map((s) => s.parseMs));
  const mb = median(samples.map((s) => s.maxRssKB)) / 1024;
  const first = samples[0];
  const note = `${first?.rules ?? 0} rules, ${first?.errors ?? 0} errors; median of ${samples.length}, the runtimes in turns; ${(ctx.input.bytes / 1e6).toFixed(0)} MB in 1 MB pieces`;
  return [
    {
      figure: `parse floor: the rule reader alone, nothing kept (${name})`,
      unit: 'ms',
      nfdb: ms,
      anchor: a?.medianMs,
      target: '(for information: check cannot go below it)',
      verdict: 'info',
      note,
    },
    {
      figure: `parse floor: peak memory of the same (${name})`,
      unit: 'MB',
      nfdb: mb,
      anchor: a?.maxRssKB !== undefined ? a.maxRssKB / 1024 : undefined,
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
    const samples = runtimes.map(() => [] as FloorSample[]);
    for (let i = 0; i < ctx.reps; i++)
      runtimes.forEach(([, runtime], k) => {
        samples[k]?.push(runChild(runtime, ctx.input.file));
      });
    return runtimes.flatMap(([name], k) => rows(name, samples[k] ?? [], ctx, anchor));
  },
};

const option = childOptions(import.meta.url);
if (option) {
  const file = option('--floor-child');
  if (file) process.stdout.write(`${JSON.stringify(floorChild(file))}\n`);
  else {
    process.stderr.write('usage: node dist/bench/parse-floor.js --floor-child FILE\n');
    process.exitCode = 2;
  }
}
