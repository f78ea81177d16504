/**
 * Makes the fixtures of nft-json.test.ts with the real nft: each corpus nft ruleset, as nfdb
 * reads it, loaded with `nft -f` into a fresh network namespace, then listed back twice, as
 * `nft -j list ruleset` (NAME.json) and as `nft -a list ruleset` (NAME.listing). Needs root and
 * nft. Run: npx tsx test/nft-json/regenerate.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseRules } from '../../source/rules/index.js';
import { toNftScript } from '../../source/rules/nft/script-text.js';
import { NFT_JSON_CORPUS } from './corpus.js';

function inFreshNamespace(name: string, script: string): { json: string; listing: string } {
  const ns = `nfdb-json-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const nft = (args: string[], input?: string) =>
      execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], {
        encoding: 'utf8',
        ...(input === undefined ? {} : { input }),
      });
    nft(['-f', '-'], script);
    return { json: nft(['-j', 'list', 'ruleset']), listing: nft(['-a', 'list', 'ruleset']) };
  } catch (e) {
    throw new Error(`${name}: ${String(e)}`);
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

for (const { file, loadable } of NFT_JSON_CORPUS) {
  const read = parseRules(readFileSync(file, 'utf8'), { file });
  if (!read.nft) throw new Error(`${file} is not nft`);
  const { json, listing } = inFreshNamespace(file, loadable(toNftScript(read.nft)));
  const name = basename(file, '.nft');
  writeFileSync(`test/nft-json/${name}.json`, json);
  writeFileSync(`test/nft-json/${name}.listing`, listing);
}
