/**
 * `nft -j list ruleset`: not read yet; the reader names the gap instead of guessing.
 */
import type { Diagnostic } from '../../model/index.js';
import type { NftRuleset } from '../../model/nft.js';

export function parseNftJson(_text: string, file: string, diagnostics: Diagnostic[]): NftRuleset {
  diagnostics.push({
    severity: 'error',
    message: 'nfdb does not read nft JSON yet',
    expected: 'nft list ruleset text (nft -a list ruleset)',
    found: 'nft -j output',
    pos: { file, line: 1, column: 1 },
  });
  return { tables: [] };
}
