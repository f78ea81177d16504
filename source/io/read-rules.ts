/** Reads ruleset text from a file or standard input (`-`), as bytes decoded to UTF-8. */
import { cannotRead } from './read-error.js';
import { readUserText } from './shipped.js';

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readRulesText(
  path: string,
  stdin: NodeJS.ReadableStream,
): Promise<ReadResult> {
  try {
    return {
      ok: true,
      text: path === '-' ? await readStream(stdin) : await readUserText(path),
    };
  } catch (error) {
    return { ok: false, message: cannotRead(path, error) };
  }
}
