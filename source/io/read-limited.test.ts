import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  InputRefused,
  parseSize,
  readFileLimited,
  readStreamLimited,
  sizeText,
} from './read-limited.js';

const dir = mkdtempSync(join(tmpdir(), 'nfdb-limited-'));

describe('readFileLimited', () => {
  it('reads a regular file within the limit', () => {
    const path = join(dir, 'small.rules');
    writeFileSync(path, '*filter\nCOMMIT\n');
    expect(readFileLimited(path, 1024).toString()).toBe('*filter\nCOMMIT\n');
    expect(readFileLimited(path, 15).toString()).toBe('*filter\nCOMMIT\n');
  });

  it('refuses a file past the limit without reading it', () => {
    const path = join(dir, 'big.rules');
    writeFileSync(path, 'x'.repeat(100));
    expect(() => readFileLimited(path, 99)).toThrow(
      new InputRefused('larger than 99 bytes, the limit of what nfdb reads (--max-size raises it)'),
    );
  });

  it.each([
    ['/dev/zero', 'it is a character device'],
    ['/dev/urandom', 'it is a character device'],
    [tmpdir(), 'it is a directory'],
  ])('refuses %s: %s', (path, why) => {
    if (!existsSync(path)) return;
    expect(() => readFileLimited(path, 1024)).toThrow(why);
  });

  it('refuses a FIFO at once, without waiting for a writer', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readFileLimited(fifo, 1024)).toThrow('it is a FIFO');
  });
});

describe('readStreamLimited', () => {
  it('reads a stream within the limit, and stops one that goes past it', async () => {
    expect((await readStreamLimited(Readable.from([Buffer.from('ab'), 'cd']), 4)).toString()).toBe(
      'abcd',
    );
    let pulled = 0;
    // An endless stream, as /dev/zero on standard input: refused after the limit.
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024));
      },
    });
    await expect(readStreamLimited(endless, 10_000)).rejects.toThrow('larger than 9.8 KB');
    expect(pulled).toBeLessThan(20);
  });
});

describe('--max-size values', () => {
  it.each([
    ['1000', 1000],
    ['64M', 64 * 1024 ** 2],
    ['2g', 2 * 1024 ** 3],
    ['10KB', 10 * 1024],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it.each([['abc'], ['0'], ['-5'], ['1.5M'], ['']])('%j is refused', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
  it('are written back as a person reads them', () => {
    expect(sizeText(32 * 1024 ** 2)).toBe('32 MB');
    expect(sizeText(1536)).toBe('1.5 KB');
  });
});
