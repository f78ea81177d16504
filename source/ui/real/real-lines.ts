/**
 * The real-paths view's lines: each traced connection with the kernel's path beside nfdb's, side
 * by side when the screen is wide enough, else one above the other. A row where they differ is
 * marked `≠` (and a row where they agree `=`), so it reads without colour.
 */
import type { Beside } from '../../trace/real-beside.js';
import type { RealPaths } from './feed.js';

export const DIFFERS = '≠';

function verdict(b: Beside): string {
  if (b.same) return 'the same path';
  return b.simulated ? 'the paths differ' : 'nfdb has no such packet at this host';
}

/** One connection's rows: both columns when they fit `width`, else real and simulated stacked. */
function connectionLines(b: Beside, n: number, width: number): string[] {
  const real = b.real.steps;
  const sim = b.simulated?.steps ?? [];
  const rows = Math.max(real.length, sim.length);
  const col = Math.max(4, ...real.map((s) => s.length));
  const head = `${n}. ${b.real.host}: ${b.real.key} · simulated as ${b.sender}: ${verdict(b)}`;
  const sideBySide = 4 + col + 3 + Math.max(9, ...sim.map((s) => s.length)) <= width;
  const lines = [head];
  if (sideBySide) lines.push(`    ${'real'.padEnd(col)}   simulated`);
  for (let i = 0; i < rows; i++) {
    const r = real[i] ?? '';
    const s = sim[i] ?? '';
    const mark = r === s ? '=' : DIFFERS;
    if (sideBySide) lines.push(`  ${mark} ${r.padEnd(col)}   ${s}`);
    else if (r === s) lines.push(`  = ${r}`);
    else
      lines.push(
        `  ${DIFFERS} real:      ${r || '(nothing)'}`,
        `    simulated: ${s || '(nothing)'}`,
      );
  }
  return [...lines, ''];
}

/** The view: what is being traced, then each connection, or what to do to see one. */
export function realLines(paths: RealPaths | undefined, width: number): string[] {
  if (!paths)
    return [
      'No real packets here: `nfdb live --trace FILTER --allow-trace` records them (the one thing',
      'nfdb writes to the kernel: a table of its own, removed when nfdb ends) and shows each',
      "connection's real path beside the simulated one.",
    ];
  const state = paths.stopped ?? `recording, until nfdb ends (table inet ${paths.table})`;
  const differ = paths.beside.filter((b) => !b.same).length;
  const summary =
    paths.beside.length === 0
      ? 'No connection of the filter has entered the host yet: send some, it shows here.'
      : `${paths.beside.length} connection${paths.beside.length === 1 ? '' : 's'}, ${differ} differing from the simulation (${DIFFERS}).`;
  const add =
    paths.beside.length === 0
      ? []
      : [
          `A connection's number${paths.beside.length > 9 ? ' (then Enter, if more digits could follow)' : ''} adds it to the traffic, to step through its simulation.`,
        ];
  return [
    `'${paths.filter}': ${paths.traced} packet${paths.traced === 1 ? '' : 's'} traced · ${state}`,
    summary,
    ...add,
    '',
    ...paths.beside.flatMap((b, i) => connectionLines(b, i + 1, width)),
  ];
}

/** What stands out: the rows and verdicts where reality and the simulation part. */
export function realTone(row: string): 'error' | 'added' | undefined {
  if (row.trimStart().startsWith(DIFFERS) || /: (the paths differ|nfdb has no such)/.test(row))
    return 'error';
  return /: the same path$/.test(row) ? 'added' : undefined;
}
