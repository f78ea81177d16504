/**
 * `nfdb snapshots [--json]`: the saved snapshots (most recent first) and the curated ones, with
 * their date, scenario title and the first line of their notes. One that cannot be read is
 * listed as unreadable, with why, instead of stopping the list.
 */
import { type ListedSnapshot, listSnapshots, savedDirectory } from '../io/snapshot-store.js';
import { type CommandContext, EXIT_MISUSE, EXIT_OK } from './context.js';

/** `2026-11-26 02:10`: minutes are enough to tell saves apart by eye. */
const shortDate = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function line(s: ListedSnapshot, width: number): string {
  const head = `${s.name.padEnd(width)}  ${shortDate(s.date)}  ${s.kind.padEnd(7)}`;
  if (s.unreadable !== undefined) return `${head}  UNREADABLE: ${s.unreadable}`;
  const notes = s.notes ? `\n${' '.repeat(width + 2)}${s.notes}` : '';
  return `${head}  ${s.title ?? ''}${notes}`;
}

export function snapshotsCommand(ctx: CommandContext): number {
  if (ctx.args.length > 0) {
    ctx.stderr.write(`nfdb snapshots: takes no arguments, got ${ctx.args.join(' ')}\n`);
    return EXIT_MISUSE;
  }
  const all = listSnapshots();
  if (ctx.flags.json === true) {
    ctx.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return EXIT_OK;
  }
  const width = Math.max(4, ...all.map((s) => s.name.length));
  const saved = all.some((s) => s.kind === 'saved')
    ? ''
    : `(no saved snapshots in ${savedDirectory()})\n`;
  ctx.stdout.write(`${saved}${all.map((s) => line(s, width)).join('\n')}\n`);
  return EXIT_OK;
}
