import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReportFiles } from './report-files.js';

const dirs: string[] = [];
const temporary = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-report-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FILES = [
  { extension: 'md', text: '## report\n' },
  { extension: 'html', text: '<!doctype html>\n' },
];

describe('writeReportFiles', () => {
  it('writes each format under one name, and never replaces a file', () => {
    const dir = temporary();
    writeFileSync(join(dir, 'r.html'), 'mine');
    const written = writeReportFiles(dir, 'r', FILES);
    expect(written).toEqual({ ok: true, paths: [join(dir, 'r-2.md'), join(dir, 'r-2.html')] });
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'r-2.md'), 'utf8')).toBe('## report\n');
  });

  it('says where it could not write, without throwing', () => {
    const written = writeReportFiles(join(temporary(), 'missing'), 'r', FILES);
    expect(written.ok).toBe(false);
    if (!written.ok) expect(written.message).toMatch(/missing.*ENOENT/);
  });
});
