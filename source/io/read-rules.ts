/** Reads ruleset text from a file or standard input (`-`), as bytes decoded to UTF-8. */
import { cannotRead } from './read-error.js';
import { DEFAULT_MAX_SIZE, readStreamLimited } from './read-limited.js';
import { readUserTextSync } from './shipped.js';

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

export async function readRulesText(
  path: string,
  stdin: NodeJS.ReadableStream,
  maxBytes = DEFAULT_MAX_SIZE,
): Promise<ReadResult> {
  try {
    const text =
      path === '-'
        ? (await readStreamLimited(stdin, maxBytes)).toString('utf8')
        : readUserTextSync(path, maxBytes);
    return { ok: true, text };
  } catch (error) {
    return { ok: false, message: cannotRead(path === '-' ? 'standard input' : path, error) };
  }
}
