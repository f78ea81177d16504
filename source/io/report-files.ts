/**
 * The files the UI's report key writes: one per format, side by side under one free name in a
 * directory (`nfdb-report-2026-11-26_05-30-00.md` and `.html`), each written atomically. A name
 * already taken by any of them gets `-2`, `-3`, …: a report never replaces a file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './write-atomic.js';

export interface ReportFile {
  /** Without the dot: `md`, `html`. */
  readonly extension: string;
  readonly text: string;
}

function freeBase(dir: string, base: string, files: readonly ReportFile[]): string {
  const taken = (name: string) =>
    files.some((f) => existsSync(join(dir, `${name}.${f.extension}`)));
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

/** Writes the files; their paths, or why they could not be written. */
export function writeReportFiles(
  dir: string,
  base: string,
  files: readonly ReportFile[],
): { ok: true; paths: string[] } | { ok: false; message: string } {
  const name = freeBase(dir, base, files);
  const paths = files.map((f) => join(dir, `${name}.${f.extension}`));
  try {
    for (const [i, f] of files.entries()) writeFileAtomic(paths[i] ?? '', f.text);
    return { ok: true, paths };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, message: `${e.path ?? dir}: ${e.code ?? e.message}` };
  }
}
