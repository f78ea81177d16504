/**
 * `nfdb check FILE... | -`: parses and validates each file, prints what it holds and what nfdb
 * cannot simulate, every error with FILE:LINE:COL. Exit 0 when all loaded, 1 on any error.
 */
import { readRulesText } from '../io/read-rules.js';
import type { Backend, InputFormat, TableName } from '../model/index.js';
import { isTableName } from '../rules/commands.js';
import { FORMATS, formatDiagnostic, type ParseOptions, parseRules } from '../rules/index.js';
import { type FileSummary, summarize } from '../rules/summary.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK, maxSize } from './context.js';
import { hostsOf } from './flags.js';

/** More than this many diagnostics per file are counted, not printed: binary garbage has thousands. */
const MAX_PRINTED = 200;

function renderText(s: FileSummary): string {
  const lines: string[] = [`${s.file}: ${s.loaded ? 'loaded' : 'NOT loaded'} (${s.format})`];
  for (const t of s.tables) {
    const backend = t.backend ? ` (iptables-${t.backend})` : '';
    lines.push(
      `  ${t.family} ${t.table}: ${t.chains} chains (${t.userChains} user-defined), ${t.rules} rules${backend}`,
    );
    if (t.absent.length > 0)
      lines.push(`    not in the kernel (no command names them): ${t.absent.join(', ')}`);
    if (t.uncounted.length > 0)
      lines.push(`    no policy counter (made by a rule, not -P): ${t.uncounted.join(', ')}`);
  }
  for (const t of s.nft ?? []) {
    lines.push(
      `  table ${t.family} ${t.table}: ${t.chains} chains, ${t.rules} rules, ${t.sets} sets and maps`,
    );
    for (const b of t.baseChains) lines.push(`    ${b}`);
  }
  if (s.matches.length > 0) lines.push(`  matches: ${s.matches.join(', ')}`);
  if (s.targets.length > 0) lines.push(`  targets: ${s.targets.join(', ')}`);
  if (s.sets.length > 0)
    lines.push(`  ipsets: ${s.sets.join(', ')} (members from the scenario: hosts[].ipsets)`);
  const notSimulated = s.limitations.filter((l) => l.kind !== 'assumed');
  const assumed = s.limitations.filter((l) => l.kind === 'assumed');
  // "simulates every rule" would be a promise about rules that did not load: say it only then.
  if (notSimulated.length > 0)
    lines.push(`  nfdb cannot simulate ${notSimulated.length} rule part(s):`);
  else if (s.loaded) lines.push('  nfdb simulates every rule');
  for (const l of notSimulated)
    lines.push(`    ${l.pos.file}:${l.pos.line}:${l.pos.column}: ${l.what}: ${l.why}`);
  for (const l of assumed)
    lines.push(
      `    ${l.pos.file}:${l.pos.line}:${l.pos.column}: ${l.what}: assumed to match (${l.why})`,
    );
  const shown = s.diagnostics.slice(0, MAX_PRINTED);
  for (const d of shown) lines.push(formatDiagnostic(d));
  if (s.diagnostics.length > shown.length)
    lines.push(`... and ${s.diagnostics.length - shown.length} more`);
  return `${lines.join('\n')}\n`;
}

function options(ctx: CommandContext): Omit<ParseOptions, 'file'> | string {
  const format = ctx.flags.format as string | undefined;
  const table = ctx.flags.table as string | undefined;
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    return `unknown format "${format}": one of ${FORMATS.join(', ')}`;
  }
  if (table !== undefined && !isTableName(table))
    return `unknown table "${table}": raw, mangle, nat, filter or security`;
  return {
    format: format as InputFormat | undefined,
    table: table as TableName | undefined,
    backend: ctx.flags.backend as Backend | undefined,
    hosts: hostsOf(ctx.flags),
  };
}

export async function checkCommand(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 0) {
    ctx.stderr.write('nfdb check: no file given (use - for standard input); see nfdb help check\n');
    return EXIT_MISUSE;
  }
  const opts = options(ctx);
  if (typeof opts === 'string') {
    ctx.stderr.write(`nfdb check: ${opts}\n`);
    return EXIT_MISUSE;
  }
  const summaries: FileSummary[] = [];
  let failed = false;
  for (const file of ctx.args) {
    const read = await readRulesText(file, ctx.stdin, maxSize(ctx));
    if (!read.ok) {
      // The same wording as run and the UI: the file first, like every input error.
      ctx.stderr.write(`${read.message}\n`);
      failed = true;
      continue;
    }
    const name = file === '-' ? '<stdin>' : file;
    const summary = summarize(name, parseRules(read.text, { file: name, ...opts }));
    failed ||= !summary.loaded;
    summaries.push(summary);
    if (!ctx.flags.json) ctx.stdout.write(renderText(summary));
  }
  if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify({ files: summaries }, null, 2)}\n`);
  return failed ? EXIT_BAD_INPUT : EXIT_OK;
}
