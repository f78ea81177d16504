/**
 * `nfdb save NAME|PATH [SCENARIO] [--rules F] [--edit 'ARGS' …] [--notes TEXT] [--step N]
 * [--force]`: writes a snapshot from the command line, so scripts and CI can make them. The
 * scenario (a file, or the built-in one) is loaded first: a snapshot that would not open is
 * never written.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NFDB_VERSION } from '../io/nfdb-version.js';
import { rememberRecent } from '../io/preferences.js';
import { cannotRead, pathExists } from '../io/read-error.js';
import { readRulesText } from '../io/read-rules.js';
import { checkSnapshotText, inlineRules, loadSnapshotText } from '../io/read-snapshot.js';
import { findSnapshot, savePath, snapshotText, writeSnapshot } from '../io/snapshot-store.js';
import { cursorAt, cursorStep } from '../trace/cursor-step.js';
import { validateAgainst } from '../world/from-file.js';
import { bookinfoSnapshotJson } from '../world/scenarios/bookinfo-file.js';
import { simulate } from '../world/simulate.js';
import { type SnapshotEdit, type SnapshotFile, snapshotSchema } from '../world/snapshot-schema.js';
import { type CommandContext, EXIT_BAD_INPUT, EXIT_MISUSE, EXIT_OK } from './context.js';

type Result<T> = { ok: true; value: T } | { ok: false; code: number };

function fail(
  ctx: CommandContext,
  lines: readonly string[],
  code: number,
): { ok: false; code: number } {
  for (const line of lines) ctx.stderr.write(`${line}\n`);
  return { ok: false, code };
}

/** The snapshot to start from: the scenario file's, rules inlined, or the built-in one. */
export async function snapshotSource(
  ctx: CommandContext,
  file: string | undefined,
): Promise<Result<SnapshotFile>> {
  if (file === undefined) {
    const built = validateAgainst(snapshotSchema, bookinfoSnapshotJson(), 'the built-in scenario');
    if (!built.ok) throw new Error(built.errors.join('; '));
    return { ok: true, value: built.value };
  }
  // A saved or curated snapshot's name works as well as a path.
  const found = pathExists(file) ? undefined : findSnapshot(file);
  if (found?.ok) file = found.path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail(ctx, [cannotRead(file, error)], EXIT_BAD_INPUT);
  }
  const checked = checkSnapshotText(text, file);
  if (!checked.ok) return fail(ctx, checked.errors, EXIT_BAD_INPUT);
  const inlined = inlineRules(checked.snapshot, file);
  if (!inlined.ok) return fail(ctx, inlined.errors, EXIT_BAD_INPUT);
  return { ok: true, value: inlined.snapshot };
}

/** The host --rules and an --edit without `HOST:` are for: the first with rules. */
const rulesHost = (s: SnapshotFile) =>
  s.hosts.find((h) => h.rules !== undefined || h.rules6 !== undefined);

/** `HOST: ARGS` or just `ARGS` (then for the rules host), read as `nfdb run --edit` reads it. */
function parseEdit(s: SnapshotFile, given: string): SnapshotEdit | string {
  const prefix = /^\s*([A-Za-z0-9_.-]+):\s+/.exec(given);
  const host = prefix?.[1] ?? rulesHost(s)?.name;
  const command = given.slice(prefix?.[0].length ?? 0).trim();
  const quoted = `--edit ${JSON.stringify(given)}`;
  if (host === undefined) return `${quoted}: no host has rules; write it as 'HOST: ARGS'`;
  if (!s.hosts.some((h) => h.name === host)) return `${quoted}: no host named "${host}"`;
  if (command === '') return `${quoted}: expected iptables arguments after the host`;
  return { host, command };
}

/** The source with the flags applied: rules, edits, notes, cursor, and when and by what. */
export async function withFlags(
  ctx: CommandContext,
  base: SnapshotFile,
): Promise<Result<SnapshotFile>> {
  let hosts = base.hosts;
  const rules = ctx.flags.rules;
  if (typeof rules === 'string') {
    const target = rulesHost(base);
    if (!target)
      return fail(
        ctx,
        [`nfdb: --rules ${rules}: no host of the scenario has rules to replace`],
        EXIT_BAD_INPUT,
      );
    const read = await readRulesText(rules, ctx.stdin);
    if (!read.ok) return fail(ctx, [read.message], EXIT_BAD_INPUT);
    hosts = hosts.map((h) => (h === target ? { ...h, rules: read.text } : h));
  }
  const edits: SnapshotEdit[] = [...base.edits];
  for (const given of (ctx.flags.edit as string[] | undefined) ?? []) {
    const edit = parseEdit(base, given);
    if (typeof edit === 'string') return fail(ctx, [`nfdb: ${edit}`], EXIT_MISUSE);
    edits.push(edit);
  }
  const notes = typeof ctx.flags.notes === 'string' ? ctx.flags.notes : base.notes;
  const step = ctx.flags.step;
  const cursor = typeof step === 'number' ? { step } : base.cursor;
  return {
    ok: true,
    value: {
      ...base,
      hosts,
      edits,
      notes,
      cursor,
      nfdb: NFDB_VERSION,
      createdAt: new Date().toISOString(),
    },
  };
}

/**
 * The snapshot as it would be restored: its rules parse, its edits apply and its cursor is on
 * the trace; returned with the cursor's step named by identity too, so a later edit or a new
 * numbering does not move it.
 */
function restorable(
  ctx: CommandContext,
  snapshot: SnapshotFile,
  path: string,
):
  | { readonly ok: true; readonly value: SnapshotFile }
  | { readonly ok: false; readonly code: number } {
  const loaded = loadSnapshotText(snapshotText(snapshot), path);
  if (!loaded.ok) return { ok: false, code: fail(ctx, loaded.errors, EXIT_BAD_INPUT).code };
  const trace = simulate(loaded.scenario);
  const last = trace.steps.length - 1;
  const step = cursorStep(trace, snapshot.cursor);
  if (step > last) {
    const what = typeof ctx.flags.step === 'number' ? '--step' : 'cursor.step';
    ctx.stderr.write(`nfdb: ${what} ${step}: the trace has steps 0 to ${last}\n`);
    return { ok: false, code: typeof ctx.flags.step === 'number' ? EXIT_MISUSE : EXIT_BAD_INPUT };
  }
  return { ok: true, value: { ...snapshot, cursor: cursorAt(trace, snapshot.cursor, step) } };
}

export async function saveCommand(ctx: CommandContext): Promise<number> {
  const [target, file, ...extra] = ctx.args;
  if (target === undefined || extra.length > 0) {
    ctx.stderr.write(
      'nfdb save: expected NAME or PATH, then at most one SCENARIO (see nfdb help save)\n',
    );
    return EXIT_MISUSE;
  }
  const where = savePath(target);
  if (!where.ok) {
    ctx.stderr.write(`nfdb save: ${where.message}\n`);
    return EXIT_MISUSE;
  }
  const base = await snapshotSource(ctx, file);
  if (!base.ok) return base.code;
  const snapshot = await withFlags(ctx, base.value);
  if (!snapshot.ok) return snapshot.code;
  const placed = restorable(ctx, snapshot.value, where.path);
  if (!placed.ok) return placed.code;
  const written = writeSnapshot(where.path, placed.value, ctx.flags.force === true);
  if (!written.ok) {
    const hint = written.exists ? ': give --force to replace it' : '';
    ctx.stderr.write(`nfdb save: ${written.message}${hint}\n`);
    return EXIT_BAD_INPUT;
  }
  rememberRecent(resolve(where.path));
  ctx.stdout.write(`saved ${where.path}\n`);
  return EXIT_OK;
}
