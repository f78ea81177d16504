/**
 * Shared by the world's tests: a shipped scenario from snapshots/, loaded as nfdb loads a file.
 * Test code only; nothing in the program imports it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshotText } from '../io/read-snapshot.js';
import type { NftRuleset, Scenario } from '../model/index.js';
import { parseRules } from '../rules/index.js';
import { bookinfoScenario } from './scenarios/bookinfo.js';

export const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');

/** `snapshots/NAME.json`; a file that does not load fails the test that reads it. */
export function snapshot(name: string): Scenario {
  const file = join(SNAPSHOTS, `${name}.json`);
  const loaded = loadSnapshotText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

/**
 * The built-in scenario with Istio's native nftables sidecar tables on reviews in place of its
 * iptables rules (test/inputs/nft-istio-sidecar.nft): an nft-only pod.
 */
export function nftSidecarScenario(): { scenario: Scenario; nft: NftRuleset } {
  const file = join(import.meta.dirname, '../../test/inputs/nft-istio-sidecar.nft');
  const nft = parseRules(readFileSync(file, 'utf8'), { file: 'sidecar.nft' }).nft;
  if (!nft) throw new Error(`${file}: no nft tables`);
  const base = bookinfoScenario();
  const hosts = base.world.hosts.map((h) =>
    h.name === 'reviews' ? { ...h, rulesets: [], nft } : h,
  );
  return { scenario: { ...base, world: { ...base.world, hosts } }, nft };
}
